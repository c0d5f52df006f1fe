namespace Enforcement.Media.Storage.Objects.FileSystem;

/// <summary>The on-disk form of one object's lock: <c>retention/&lt;key&gt;.json</c>.</summary>
internal sealed record RetentionRecord(DateTimeOffset? RetainUntil, bool LegalHold, string Mode)
{
    public static RetentionRecord From(ObjectRetention retention) => new(retention.RetainUntil, retention.LegalHold, retention.Mode);

    public ObjectRetention ToRetention() => new(RetainUntil, LegalHold, Mode);
}
