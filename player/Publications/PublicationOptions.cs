namespace Enforcement.Media.Player.Publications;

/// <summary>Publication (公示) settings (section <c>Publication</c>).</summary>
public sealed class PublicationOptions
{
    public const string Section = "Publication";

    /// <summary>The agency named in the watermark burned into every published copy.</summary>
    public string Agency { get; set; } = "Enforcement.Media";

    /// <summary>How long an approved item stays public unless the approver says otherwise.</summary>
    public int DefaultDays { get; set; } = 30;

    /// <summary>The longest an approver may publish for; a longer publication is a new decision later.</summary>
    public int MaxDays { get; set; } = 365;

    /// <summary>Requests one address may make to the public pages per minute (pages and media ranges together).</summary>
    public int PublicRequestsPerMinute { get; set; } = 240;

    public const int MaxTitleLength = 200;

    public const int MaxBodyLength = 10_000;
}
