using Enforcement.Media.Player.Refusals;

namespace Enforcement.Media.Player.Exports;

/// <summary>
/// An export action that is refused as asked — not yours or your own request, unknown, in the wrong state,
/// already downloaded, bad input — and <paramref name="field"/> names the input to fix, when there is one.
/// </summary>
public sealed class ExportRefusedException(Refusal kind, string message, string? field = null) : RefusedException(kind, message, field);
