namespace Enforcement.Media.Player.Localization;

/// <summary>The words of the integrity page (证据完整性), in English and Chinese (<see cref="Texts"/> looks here too).</summary>
internal static class IntegrityWords
{
    public static readonly Dictionary<string, (string En, string Zh)> Words = new(StringComparer.Ordinal)
    {
        ["int.title"] = ("Evidence integrity", "证据完整性"),
        ["int.help"] = (
            "Whether the stored originals are still exactly what was received, which deliveries did not match what their source said they were, and whether the audit trail verifies. Footage is listed only where you may see it.",
            "存储的原始文件是否仍与接收时完全一致、哪些上传与来源自报的校验值不符、审计日志能否通过校验。仅列出您有权查看的音视频。"),
        ["int.audit"] = ("Audit trail: last verification", "审计日志：最近一次校验"),
        ["int.audit-never"] = ("The audit trail has not been verified yet (ingest audit verify).", "审计日志尚未校验（ingest audit verify）。"),
        ["int.audit-help"] = ("Run by ingest audit verify: every hash recomputed, every link walked, every signed checkpoint passed through.", "由 ingest audit verify 执行：重算每条哈希、逐条核对链接、经过每个签名检查点。"),
        ["int.verdict"] = ("Verdict", "结论"),
        ["int.valid"] = ("VALID", "通过"),
        ["int.invalid"] = ("INVALID", "未通过"),
        ["int.verified-at"] = ("Verified", "校验时间"),
        ["int.events"] = ("Events", "事件数"),
        ["int.checkpoints"] = ("checkpoints", "检查点"),
        ["int.first-problem"] = ("Where it first goes wrong", "首个问题"),
        ["int.problems"] = ("{0} problem(s) in all", "共 {0} 个问题"),
        ["int.fixity"] = ("Fixity: originals that failed their latest check", "固定性校验：最近一次校验未通过的原始文件"),
        ["int.last-run"] = ("Last run finished {0}: {1} originals re-read, {2} verified.", "最近一次校验于 {0} 完成：复核原始文件 {1} 个，通过 {2} 个。"),
        ["int.no-run"] = ("No fixity run yet.", "尚未进行固定性校验。"),
        ["int.fixity-none"] = ("Every original you may see passed its latest check.", "您有权查看的原始文件最近一次校验均已通过。"),
        ["int.recording"] = ("Recording", "音视频"),
        ["int.outcome"] = ("Finding", "结果"),
        ["int.outcome.mismatch"] = ("changed (hash mismatch)", "已被改动（哈希不符）"),
        ["int.outcome.missing"] = ("missing from the store", "存储中缺失"),
        ["int.outcome.unreadable"] = ("unreadable", "无法读取"),
        ["int.checked-at"] = ("Checked", "校验时间"),
        ["int.expected"] = ("Stored as (SHA-256 · bytes)", "入库时（SHA-256 · 字节）"),
        ["int.actual"] = ("Now (SHA-256 · bytes)", "现在（SHA-256 · 字节）"),
        ["int.reason"] = ("Why", "原因"),
        ["int.quarantine"] = ("Quarantined deliveries", "隔离的上传"),
        ["int.quarantine-help"] = (
            "The source's own hash did not match the bytes that arrived. The bytes are stored and locked all the same, and the source is never wiped: check the recorder and the station.",
            "来源自报的校验值与实际收到的数据不符。数据仍已存储并锁定，来源文件不会被删除：请检查执法记录仪和采集站。"),
        ["int.quarantine-none"] = ("No delivery of footage you may see is quarantined.", "您有权查看的音视频没有被隔离的上传。"),
        ["int.source"] = ("Source", "来源"),
        ["int.received-at"] = ("Received", "接收时间"),
        ["int.stored-sha256"] = ("SHA-256 of what arrived", "实际收到数据的 SHA-256"),
        ["int.claimed"] = ("The source's claim", "来源自报值"),
        ["int.claim-mismatch"] = ("the source's hash did not match", "来源校验值不符"),
        ["int.undelivered"] = ("Alerts not delivered", "未送达的告警"),
        ["int.undelivered-help"] = ("Webhooks that never acknowledged these alerts, their attempts spent: check the receivers (Alerts:Webhooks).", "这些告警的接收方在重试用尽后仍未确认：请检查接收端（Alerts:Webhooks）。"),
        ["int.alert"] = ("Alert", "告警"),
        ["int.raised-at"] = ("Raised", "产生时间"),
        ["int.webhook"] = ("Webhook", "接收方"),
        ["int.attempts"] = ("Attempts", "尝试次数"),
    };
}
