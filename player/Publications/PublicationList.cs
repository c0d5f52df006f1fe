using Enforcement.Media.Storage.Publications;

namespace Enforcement.Media.Player.Publications;

/// <summary>
/// Publications as the pages list them (<c>_List.cshtml</c>), with what this user may do on each: decide on
/// others' requests (supervisors, on their own page), withdraw what is published.
/// </summary>
public sealed record PublicationList(IReadOnlyList<PublicationRecord> Items, Guid Me, bool MayApprove, bool MayWithdraw, bool MayReadCases);
