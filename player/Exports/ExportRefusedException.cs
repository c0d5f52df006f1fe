using Enforcement.Media.Player.Refusals;

namespace Enforcement.Media.Player.Exports;

/// <summary>
/// An export action that is refused as asked: <paramref name="statusCode"/> is the HTTP answer (403 not
/// yours or your own request, 404 unknown, 409 wrong state, 410 already downloaded, 422 bad input) and
/// <paramref name="field"/> names the input to fix, when there is one.
/// </summary>
public sealed class ExportRefusedException(int statusCode, string message, string? field = null) : RefusedException(statusCode, message, field);
