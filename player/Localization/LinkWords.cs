namespace Enforcement.Media.Player.Localization;

/// <summary>The words of links made and removed by hand (所属案件与环节), in English and Chinese (<see cref="Texts"/> looks here too).</summary>
internal static class LinkWords
{
    public static readonly Dictionary<string, (string En, string Zh)> Words = new(StringComparer.Ordinal)
    {
        ["ln.title"] = ("Link to a case activity", "关联至案件环节"),
        ["ln.help"] = (
            "Name the case, choose the activity the footage records (or the case alone) and say why. The link shows the footage to the case's reviewers and keeps it as evidence; it is on record with your name and reason.",
            "输入案件编号，选择该音视频所记录的执法活动（或仅关联案件），并说明理由。关联后案件的审阅人员可查看该音视频，并按证据保存；关联记录载明您的姓名和理由。"),
        ["ln.find-case"] = ("Find the case", "查找案件"),
        ["ln.no-case"] = ("There is no case {0} among those you may see.", "没有您有权查看的案件 {0}。"),
        ["ln.where"] = ("Activity", "执法活动"),
        ["ln.case-only"] = ("No activity: the case alone", "不指定执法活动，仅关联案件"),
        ["ln.link"] = ("Link", "关联"),
        ["ln.link-to-case"] = ("Link to a case…", "关联案件…"),
        ["ln.unlink"] = ("Remove link", "解除关联"),
        ["ln.method.auto"] = ("automatic (officer and time)", "自动（警号与时间）"),
        ["ln.method.manual"] = ("by hand", "人工"),
        ["ln.by"] = ("By, why", "关联人及理由"),
    };
}
