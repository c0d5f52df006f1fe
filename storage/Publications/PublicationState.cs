namespace Enforcement.Media.Storage.Publications;

/// <summary>Where a publication is (<c>publications.state</c>), and where its watermarked copy is (<c>render_state</c>).</summary>
public static class PublicationState
{
    public const string Requested = "requested";
    public const string Refused = "refused";
    public const string Published = "published";
    public const string Withdrawn = "withdrawn";

    public const string RenderReady = "ready";
    public const string RenderFailed = "failed";
}
