namespace Enforcement.Media.Player.Playback;

/// <summary>What a user's roles let them stream: redacted outputs only, renditions too, or originals as well.</summary>
public enum FootageAccess
{
    /// <summary>The publication office: the rendered outputs of redactions, nothing else.</summary>
    RedactedOnly,

    /// <summary>Reviewers: renditions and redacted outputs.</summary>
    Renditions,

    /// <summary>Legal reviewers and supervisors: originals too.</summary>
    Originals,
}
