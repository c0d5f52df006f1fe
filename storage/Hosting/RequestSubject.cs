using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Serilog;

namespace Enforcement.Media.Storage.Hosting;

/// <summary>
/// What an HTTP request was about — who asked, which recording, which viewing session — put on the
/// request's log line (<see cref="RequestLog"/>) and on its trace. Ids belong here, never in a metric's
/// labels, where each new value would be a new time series.
/// </summary>
public static class RequestSubject
{
    /// <summary>The audit trail's name for the caller: <c>user:&lt;username&gt;</c> or <c>key:&lt;key name&gt;</c>.</summary>
    public static void SetActor(this HttpContext context, string actor) => Set(context, "Actor", "enforcement_media.actor", actor);

    public static void SetRecording(this HttpContext context, Guid recordingId) => Set(context, "RecordingId", "enforcement_media.recording.id", recordingId);

    /// <summary>A playback (viewing) session.</summary>
    public static void SetSession(this HttpContext context, Guid sessionId) => Set(context, "SessionId", "enforcement_media.session.id", sessionId);

    private static void Set<T>(HttpContext context, string property, string tag, T value)
        where T : notnull
    {
        context.RequestServices?.GetService<IDiagnosticContext>()?.Set(property, value);
        if (context.Features.Get<IHttpActivityFeature>()?.Activity is { IsAllDataRequested: true } activity)
        {
            activity.SetTag(tag, value.ToString());
        }
    }
}
