namespace Enforcement.Media.Player.Approvals;

/// <summary>
/// <c>recordings.classification</c> (涉及国家秘密、商业秘密、个人隐私): anything but <see cref="Normal"/> is viewed
/// only with a supervisor's approval.
/// </summary>
public static class Classification
{
    public const string Normal = "normal";

    /// <summary>Every classification, from least to most restricted: an approval for one covers it and those before it.</summary>
    public static readonly IReadOnlyList<string> All = [Normal, "personal_privacy", "commercial_secret", "state_secret"];

    /// <summary>
    /// SQL: true when the approval aliased <c>a</c> was given for the classification the recording aliased
    /// <c>r</c> has now, or a higher one (the order of <see cref="All"/>). A recording raised above what the
    /// supervisor approved needs a new approval; an unknown classification is ranked highest on the
    /// recording and lowest on the approval, so it never passes by accident.
    /// </summary>
    public const string ApprovalCoversRecording = """
        ((CASE r.classification WHEN 'normal' THEN 0 WHEN 'personal_privacy' THEN 1 WHEN 'commercial_secret' THEN 2 ELSE 3 END)
         <= (CASE a.approved_classification WHEN 'normal' THEN 0 WHEN 'personal_privacy' THEN 1 WHEN 'commercial_secret' THEN 2 WHEN 'state_secret' THEN 3 ELSE -1 END))
        """;
}
