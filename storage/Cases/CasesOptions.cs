namespace Enforcement.Media.Storage.Cases;

/// <summary>Configuration section <c>Cases</c>: the stage taxonomy, what must be recorded in full, linking slack.</summary>
public sealed class CasesOptions
{
    public const string Section = "Cases";

    /// <summary>
    /// Default stage taxonomy (the stages of an administrative enforcement case): 立案/启动 → 调查取证 → 审核 → 告知/听证 → 决定 → 送达 → 执行 → 结案归档.
    /// </summary>
    public static readonly IReadOnlyList<StageDefinition> DefaultStages =
    [
        new("opening", "立案/启动"),
        new("investigation", "调查取证"),
        new("legal_review", "审核"),
        new("notice_hearing", "告知/听证"),
        new("decision", "决定"),
        new("service", "送达"),
        new("enforcement", "执行"),
        new("closing", "结案归档"),
    ];

    /// <summary>
    /// Activity types that must be recorded from start to end (执法全过程记录). Defaults: 查封扣押
    /// (<c>seizure</c>), 强制拆除 (<c>demolition</c>) and 调查询问 in an interview room
    /// (<c>interview_room</c>; questioning elsewhere is <c>interview</c>).
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultFullRecordingTypes = ["seizure", "demolition", "interview_room"];

    /// <summary>Stage codes and names in order; empty means <see cref="DefaultStages"/>.</summary>
    public List<StageDefinition> Stages { get; set; } = [];

    /// <summary>Activity types needing full-process recording; empty means <see cref="DefaultFullRecordingTypes"/>.</summary>
    public List<string> FullRecordingActivityTypes { get; set; } = [];

    /// <summary>How far outside an activity's window a recording may start or end and still be linked to it.</summary>
    public TimeSpan LinkSlack { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gaps in the coverage of a full-recording activity longer than this are reported.</summary>
    public TimeSpan GapThreshold { get; set; } = TimeSpan.FromSeconds(5);

    public IReadOnlyList<StageDefinition> StageTaxonomy => Stages.Count > 0 ? Stages : DefaultStages;

    public IReadOnlyList<string> FullRecordingTypes => FullRecordingActivityTypes.Count > 0 ? FullRecordingActivityTypes : DefaultFullRecordingTypes;
}
