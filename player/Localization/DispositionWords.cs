namespace Enforcement.Media.Player.Localization;

/// <summary>
/// The words of disposition by two records managers and of the destruction register (销毁清册), in English and
/// Chinese (<see cref="Texts"/> looks here too). The register's headings are those of an archives' 销毁清册.
/// </summary>
internal static class DispositionWords
{
    public static readonly Dictionary<string, (string En, string Zh)> Words = new(StringComparer.Ordinal)
    {
        ["dsp.two-people"] = (
            "A disposition takes two records managers: one proposes it with a reason, a second one — never the one who proposed it — approves it with a reason, and only then is the recording deleted. Either may refuse a proposal; nothing is deleted then.",
            "销毁须经两名档案管理员：一人说明理由提请，另一人（不得为提请人）说明理由批准后方可删除。任何一人均可不予批准或撤回提请，此时不删除任何内容。"),
        ["dsp.proposal"] = ("Proposed", "提请"),
        ["dsp.propose"] = ("Propose disposition", "提请销毁"),
        ["dsp.approve"] = ("Approve and dispose", "批准销毁"),
        ["dsp.refuse"] = ("Refuse", "不予批准"),
        ["dsp.take-back"] = ("Take back my proposal", "撤回提请"),
        ["dsp.own-proposal"] = ("You proposed this: a second records manager approves it.", "此项由您提请，须由另一名档案管理员批准。"),
        ["dsp.register"] = ("The destruction register", "销毁清册"),
        ["dsp.outcome-proposed"] = ("Proposed", "已提请"),
        ["dsp.outcome-disposed"] = ("Disposed", "已销毁"),
        ["dsp.outcome-refused"] = ("Refused", "未予销毁"),
        ["dsp.state.pending"] = ("waiting for a proposal", "待提请"),
        ["dsp.state.proposed"] = ("proposed, waiting for a second records manager", "已提请，待审批"),
        ["dsp.state.disposed"] = ("disposed", "已销毁"),
        ["dsp.state.refused"] = ("refused", "未予销毁"),
        ["dsp.state.withdrawn"] = ("withdrawn: no longer eligible", "已撤出：不再符合销毁条件"),

        ["dr.title"] = ("Destruction register of audio-visual records", "音视频资料销毁清册"),
        ["dr.from"] = ("From (UTC)", "起始日期（UTC）"),
        ["dr.to"] = ("To, through that day (UTC)", "截止日期（含当日，UTC）"),
        ["dr.show"] = ("Show", "查询"),
        ["dr.print-help"] = ("Print this page (A4, landscape) for the signed paper register; the CSV holds the same lines.", "打印本页（A4 横向）即为纸质清册，供签字存档；CSV 文件内容与本页相同。"),
        ["dr.period"] = ("Period", "销毁期间"),
        ["dr.count"] = ("{0} record(s)", "共 {0} 条"),
        ["dr.none"] = ("Nothing was disposed of in this period.", "本期间内无销毁记录。"),
        ["dr.col.no"] = ("No.", "序号"),
        ["dr.col.disposed-at"] = ("Disposed (UTC)", "销毁时间（UTC）"),
        ["dr.col.record"] = ("Record (original name, id)", "音视频资料（原始文件名、记录编号）"),
        ["dr.col.size"] = ("Size (bytes)", "大小（字节）"),
        ["dr.col.cases"] = ("Cases", "所属案件"),
        ["dr.col.rule"] = ("Retention rule", "保存期限依据"),
        ["dr.col.proposed"] = ("Proposed by, when, why", "提请人、时间、理由"),
        ["dr.col.approved"] = ("Approved by, when, why", "批准人、时间、理由"),
        ["dr.col.tombstone"] = ("Deleted objects and the store's confirmation", "删除对象及存储确认"),
        ["dr.sign.made-by"] = ("Prepared by:", "制表人："),
        ["dr.sign.checked-by"] = ("Checked by:", "审核人："),
        ["dr.sign.date"] = ("Date:", "日期："),
    };
}
