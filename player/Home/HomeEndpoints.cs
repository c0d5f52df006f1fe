namespace Enforcement.Media.Player.Home;

internal static class HomeEndpoints
{
    public static IEndpointRouteBuilder MapHomeEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", () => TypedResults.Content(
            """
            <!doctype html>
            <html lang="zh-CN"><head><meta charset="utf-8"><title>Enforcement.Media</title></head>
            <body>
            <h1>Enforcement.Media · 执法音视频证据</h1>
            <p>The player is running. Case search, playback with a stated reason and the access ledger (调阅台账) arrive with the player issue.</p>
            <p><a href="/health">Health</a></p>
            </body></html>
            """,
            "text/html; charset=utf-8"));
        return endpoints;
    }
}
