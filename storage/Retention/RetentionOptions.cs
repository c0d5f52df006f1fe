namespace Enforcement.Media.Storage.Retention;

/// <summary>Configuration section <c>Retention</c>.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>
    /// The shortest lock any original gets, counted from when it was recorded or received, whichever
    /// is later. Default 180 days: 公安机关现场执法视音频记录工作规定 (2016) §13 keeps footage at least six months.
    /// </summary>
    public int MinimumDays { get; set; } = 180;

    /// <summary>
    /// Class <c>evidence</c>: kept while its case is open, then this many years after the case is
    /// archived (随案卷保存: footage used as evidence lives as long as its case file). Default 30.
    /// </summary>
    public int EvidenceYearsAfterArchive { get; set; } = 30;
}
