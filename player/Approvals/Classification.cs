namespace Enforcement.Media.Player.Approvals;

/// <summary>
/// <c>recordings.classification</c> (涉及国家秘密、商业秘密、个人隐私): anything but <see cref="Normal"/> is viewed
/// only with a supervisor's approval.
/// </summary>
public static class Classification
{
    public const string Normal = "normal";

    public static readonly IReadOnlyList<string> All = [Normal, "personal_privacy", "commercial_secret", "state_secret"];
}
