namespace Enforcement.Media.Player.Recorders;

/// <summary>The body of <c>PUT /api/v1/recorders/{serial}</c>: the whole entry (a missing model or notes clears it).</summary>
public sealed record RecorderBody(string? Model, string? Unit, string? Status, string? Notes);

/// <summary>
/// The body of <c>POST /api/v1/recorders/{serial}/assignments</c>: the officer (警号) who takes the recorder
/// from <see cref="From"/> (now when absent), or no officer to take it back.
/// </summary>
public sealed record NewAssignment(string? OfficerId, DateTimeOffset? From);
