using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Enforcement.Media.Ingest.Uploads.Client;

/// <summary>
/// The tus client's retries of transient faults, on Microsoft.Extensions.Http.Resilience (Polly):
/// exponential backoff with jitter from <see cref="TusClientOptions.RetryDelay"/> up to
/// <see cref="TusClientOptions.MaxRetryDelay"/>, at most <see cref="TusClientOptions.MaxAttempts"/>
/// tries, and a server's <c>Retry-After</c> honoured (but never past <see cref="TusClientOptions.MaxRetryDelay"/>).
/// </summary>
/// <remarks>
/// Two layers, because not every request may simply be sent again:
/// <list type="bullet">
/// <item><see cref="Handler"/> sits under the <see cref="HttpClient"/> and repeats a request as it was —
/// only those whose repetition cannot do harm: HEAD and GET (an offset, a receipt) and POST, which here
/// only creates an upload. A creation repeated after its answer was lost leaves an empty upload that
/// nothing refers to, which upload expiry removes with its staging reservation; not repeating it would
/// create a new upload all the same, on the file's next attempt, since the agent learns the upload's
/// URL only from that answer.</item>
/// <item>A PATCH is never repeated as it was: after a failure the chunk may have landed whole, in part
/// or not at all. <see cref="Resumes"/> retries the tus step instead — ask the server for its offset
/// (HEAD, sent once: this layer counts its failures) and PATCH what it lacks from there. That step
/// also recovers from the PATCH refusals tus means to be recovered from (409 offset mismatch, 423
/// locked by a request still in flight, 460 checksum mismatch).</item>
/// </list>
/// Refusals — 401, 403, 404, 410, 413 and every other 4xx — are never retried at either layer.
/// </remarks>
public static class TusRetries
{
    /// <summary>Set on a request whose caller retries it itself: <see cref="Handler"/> then sends it once.</summary>
    internal static readonly HttpRequestOptionsKey<bool> RetriedByCaller = new("Enforcement.Media.Tus.RetriedByCaller");

    /// <summary>
    /// The HTTP layer in front of <paramref name="network"/>: each attempt ends after
    /// <see cref="TusClientOptions.RequestTimeout"/>, and transport errors, timeouts, 5xx, 408 and 429 are
    /// retried for the requests that may be repeated (see the remarks).
    /// </summary>
    public static DelegatingHandler Handler(TusClientOptions options, HttpMessageHandler network, TimeProvider time)
    {
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };
        if (options.MaxAttempts > 1)
        {
            var retry = new HttpRetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(
                    HttpClientResiliencePredicates.IsTransient(args.Outcome) && MayRepeat(args.Context.GetRequestMessage())),
            };
            Backoff(retry, options);
            pipeline.AddRetry(retry);
        }

        // Inside the retry: each attempt has the whole timeout, however long the waits before it.
        pipeline.AddTimeout(options.RequestTimeout);
        return new ResilienceHandler(pipeline.Build()) { InnerHandler = network };
    }

    /// <summary>The tus layer: retries a step (HEAD, then PATCH from the server's offset) that failed transiently.</summary>
    internal static ResiliencePipeline Resumes(TusClientOptions options, TimeProvider time)
    {
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = time };
        if (options.MaxAttempts > 1)
        {
            var retry = new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } failure && IsTransient(failure, args.Context.CancellationToken)),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is ResumableAnswer answer ? answer.RetryAfter : null),
            };
            Backoff(retry, options);
            pipeline.AddRetry(retry);
        }

        return pipeline.Build();
    }

    /// <summary>
    /// A failure worth another try at the tus step: the network failed, an attempt timed out, or the
    /// server answered a PATCH with a status tus recovers from (<see cref="ResumableAnswer"/>).
    /// </summary>
    internal static bool IsTransient(Exception failure, CancellationToken cancellationToken) => failure switch
    {
        ResumableAnswer or HttpRequestException or IOException or TimeoutRejectedException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested, // a timeout of the HttpClient's own
        _ => false,
    };

    /// <summary>The statuses a PATCH is resumed after (HEAD, then from the server's offset); any other refusal ends the upload.</summary>
    internal static bool ResumesAfter(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.Conflict or HttpStatusCode.Locked
        || (int)status == TusProtocol.ChecksumMismatch;

    private static bool MayRepeat(HttpRequestMessage? request) =>
        request is not null
        && (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head || request.Method == HttpMethod.Post)
        && !(request.Options.TryGetValue(RetriedByCaller, out var byCaller) && byCaller);

    private static void Backoff<TResult>(RetryStrategyOptions<TResult> retry, TusClientOptions options)
    {
        retry.MaxRetryAttempts = options.MaxAttempts - 1;
        retry.BackoffType = DelayBackoffType.Exponential;
        retry.UseJitter = true;
        retry.Delay = options.RetryDelay;
        retry.MaxDelay = options.MaxRetryDelay;

        // MaxDelay does not bound a delay the server asked for: capped here, so no answer (nor anything
        // posing as the server) can park an upload for longer than the agent would wait on its own.
        if (retry.DelayGenerator is { } asked)
        {
            var longest = options.MaxRetryDelay;
            retry.DelayGenerator = async args => await asked(args) is { } wait ? (wait < longest ? wait : longest) : null;
        }
    }
}
