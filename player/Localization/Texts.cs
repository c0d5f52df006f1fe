using System.Globalization;

namespace Enforcement.Media.Player.Localization;

/// <summary>
/// The player's words in Chinese and English, chosen by the request culture (the language switch
/// sets it). Domain terms are those of the 三项制度 plans and GA/T standards. A missing key shows the key itself, so it is noticed.
/// </summary>
public sealed class Texts
{
    private static readonly Dictionary<string, (string En, string Zh)> Words = new(StringComparer.Ordinal)
    {
        ["app"] = ("Enforcement.Media", "执法音视频证据管理"),
        ["home"] = ("Home", "首页"),
        ["cases"] = ("Cases", "案件"),
        ["recordings"] = ("Recordings", "音视频"),
        ["ledger"] = ("Access ledger", "调阅台账"),
        ["statistics"] = ("Statistics", "统计分析"),
        ["approvals"] = ("Approvals", "审批"),
        ["retention"] = ("Retention", "保存期限"),
        ["admin"] = ("Administration", "系统管理"),
        ["login"] = ("Sign in", "登录"),
        ["logout"] = ("Sign out", "退出"),
        ["username"] = ("Username", "用户名"),
        ["password"] = ("Password", "密码"),
        ["login.failed"] = ("Wrong username or password.", "用户名或密码错误。"),
        ["login.wait"] = ("Too many failed sign-ins: try again after {0}.", "登录失败次数过多，请于 {0} 后再试。"),
        ["account"] = ("My account", "我的账户"),
        ["account.change-password"] = ("Change password", "修改密码"),
        ["account.current-password"] = ("Current password", "当前密码"),
        ["account.repeat-password"] = ("New password again", "再次输入新密码"),
        ["account.must-change"] = ("An administrator set your password: choose your own before you continue.", "您的密码由管理员设置，请先设置您自己的密码。"),
        ["account.password-changed"] = ("Your password is changed; every other session of yours has ended.", "密码已修改，您的其他会话均已结束。"),
        ["account.tokens-help"] = ("Tokens let your own scripts call the API as you. Only you can issue yours.", "令牌供您自己的程序以您的身份调用接口，只能由您本人签发。"),
        ["account.token-issued"] = ("Token issued.", "令牌已签发。"),
        ["account.token-revoked"] = ("Token revoked.", "令牌已吊销。"),
        ["account.sessions"] = ("Signed-in browsers", "已登录的浏览器"),
        ["account.signed-in"] = ("Signed in", "登录时间"),
        ["account.last-seen"] = ("Last seen", "最近活动"),
        ["account.address"] = ("Address", "地址"),
        ["account.browser"] = ("Browser", "浏览器"),
        ["account.this-session"] = ("(this one)", "（当前）"),
        ["account.end-others"] = ("Sign out the others", "退出其他会话"),
        ["account.other-sessions-ended"] = ("Your other sessions have ended.", "其他会话已结束。"),
        ["account.everywhere"] = ("Sign out everywhere", "全部退出"),
        ["account.everywhere-help"] = ("Ends every session, this one too, and revokes every token of yours: for a lost device or a leaked password.", "结束全部会话（包括当前会话）并吊销您的全部令牌：用于设备丢失或密码泄露。"),
        ["denied"] = ("You may not open this page.", "您无权访问此页面。"),
        ["welcome"] = ("Signed in as {0}.", "当前用户：{0}。"),
        ["roles"] = ("Roles", "角色"),
        ["unit"] = ("Unit", "单位"),
        ["language"] = ("中文", "English"),
        ["narrowed"] = ("Narrowed by the statistics:", "按统计分析的条件筛选："),
        ["clear-narrowing"] = ("clear", "清除"),
    };

    /// <summary>Every feature's words, one dictionary a line; a key is looked up in each in turn.</summary>
    private static readonly Dictionary<string, (string En, string Zh)>[] Dictionaries =
    [
        Words,
        RecordsWords.Words,
        PlaybackWords.Words,
        ReviewWords.Words,
        RedactionWords.Words,
        RecorderWords.Words,
        LinkWords.Words,
        IntegrityWords.Words,
        StatisticsWords.Words,
        DispositionWords.Words,
    ];

    public string this[string key] => Pick(key);

    public string Format(string key, params object?[] values) => string.Format(CultureInfo.CurrentCulture, Pick(key), values);

    /// <summary>True when the key has words (for codes from configuration, which may have none).</summary>
    public bool Has(string key) => Dictionaries.Any(d => d.ContainsKey(key));

    public static bool IsChinese => CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal);

    private static string Pick(string key)
    {
        foreach (var words in Dictionaries)
        {
            if (words.TryGetValue(key, out var word))
            {
                return IsChinese ? word.Zh : word.En;
            }
        }

        return key;
    }
}
