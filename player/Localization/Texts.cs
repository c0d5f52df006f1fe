using System.Globalization;

namespace Enforcement.Media.Player.Localization;

/// <summary>
/// The player's words in Chinese and English, chosen by the request culture (the language switch
/// sets it). Domain terms follow DOMAIN.md. A missing key shows the key itself, so it is noticed.
/// </summary>
public sealed class Texts
{
    private static readonly Dictionary<string, (string En, string Zh)> Words = new(StringComparer.Ordinal)
    {
        ["app"] = ("Enforcement.Media", "执法音视频证据管理"),
        ["home"] = ("Home", "首页"),
        ["cases"] = ("Cases", "案件"),
        ["ledger"] = ("Access ledger", "调阅台账"),
        ["approvals"] = ("Approvals", "审批"),
        ["retention"] = ("Retention", "保存期限"),
        ["admin"] = ("Administration", "系统管理"),
        ["login"] = ("Sign in", "登录"),
        ["logout"] = ("Sign out", "退出"),
        ["username"] = ("Username", "用户名"),
        ["password"] = ("Password", "密码"),
        ["login.failed"] = ("Wrong username or password.", "用户名或密码错误。"),
        ["login.locked"] = ("Too many failed attempts: the account is locked until {0:HH:mm} UTC.", "登录失败次数过多，账户锁定至 {0:HH:mm}（UTC）。"),
        ["login.disabled"] = ("This account is disabled.", "该账户已停用。"),
        ["denied"] = ("You may not open this page.", "您无权访问此页面。"),
        ["welcome"] = ("Signed in as {0}.", "当前用户：{0}。"),
        ["roles"] = ("Roles", "角色"),
        ["unit"] = ("Unit", "单位"),
        ["language"] = ("中文", "English"),
    };

    public string this[string key] => Pick(key);

    public string Format(string key, params object?[] values) => string.Format(CultureInfo.CurrentCulture, Pick(key), values);

    /// <summary>True when the key has words (for codes from configuration, which may have none).</summary>
    public bool Has(string key) => Words.ContainsKey(key) || RecordsWords.Words.ContainsKey(key) || PlaybackWords.Words.ContainsKey(key) || ReviewWords.Words.ContainsKey(key);

    public static bool IsChinese => CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal);

    private static string Pick(string key) =>
        Words.TryGetValue(key, out var word) || RecordsWords.Words.TryGetValue(key, out word) || PlaybackWords.Words.TryGetValue(key, out word)
        || ReviewWords.Words.TryGetValue(key, out word) ? (IsChinese ? word.Zh : word.En) : key;
}
