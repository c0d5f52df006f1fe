using System.Security.Claims;
using Enforcement.Media.Player.Accounts;

namespace Enforcement.Media.Player.Exports;

/// <summary>Who acts on an export: the user's id (requester and decider are compared by it), audit name and unit.</summary>
public sealed record ExportPrincipal(Guid UserId, string Actor, string? UnitCode)
{
    public static ExportPrincipal Of(ClaimsPrincipal user) => new(user.UserId(), user.Actor(), user.UnitCode());
}
