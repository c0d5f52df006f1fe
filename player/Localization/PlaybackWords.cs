namespace Enforcement.Media.Player.Localization;

/// <summary>
/// The words of the viewing-approval and access-ledger pages, in English and Chinese (<see cref="Texts"/>
/// looks here after its own list and the records words). Domain terms are those of the 三项制度 plans and GA/T standards.
/// </summary>
internal static class PlaybackWords
{
    public static readonly Dictionary<string, (string En, string Zh)> Words = new(StringComparer.Ordinal)
    {
        ["view.approvals"] = ("Viewing approvals", "调阅审批"),
        ["view.requested"] = ("Requested", "申请时间"),
        ["view.requester"] = ("Requested by", "申请人"),
        ["view.classification"] = ("Classification", "密级"),
        ["view.decide"] = ("Decision", "审批"),
        ["view.approve"] = ("Approve", "批准"),
        ["view.deny"] = ("Deny", "不批准"),
        ["view.own-request"] = ("your own request: another supervisor decides", "本人申请，须由其他监督人员审批"),
        ["view.approved-done"] = ("Approved: the requester may now view the recording.", "已批准：申请人现可调阅该记录。"),
        ["view.denied-done"] = ("Denied.", "已不予批准。"),
        ["classification.normal"] = ("normal", "普通"),
        ["classification.personal_privacy"] = ("personal privacy", "个人隐私"),
        ["classification.commercial_secret"] = ("commercial secret", "商业秘密"),
        ["classification.state_secret"] = ("state secret", "国家秘密"),
        ["ledger.from"] = ("From", "起始日期"),
        ["ledger.to"] = ("To", "截止日期"),
        ["ledger.filter"] = ("Filter", "筛选"),
        ["ledger.started"] = ("Started", "调阅时间"),
        ["ledger.ended"] = ("Ended", "结束时间"),
        ["ledger.variant"] = ("Copy", "调阅对象"),
        ["ledger.variant-rendition"] = ("rendition", "播放副本"),
        ["ledger.variant-original"] = ("original", "原始文件"),
        ["ledger.approval"] = ("Approval", "审批单"),
        ["ledger.client"] = ("Client", "客户端"),
        ["ledger.watched"] = ("Watched", "观看区间"),
        ["ledger.bytes"] = ("Bytes served", "传输字节"),
    };
}
