namespace Enforcement.Media.Player.Refusals;

/// <summary>Readies a response for a problem answer in place of what the endpoint had begun to set.</summary>
public static class ProblemAnswer
{
    /// <summary>
    /// Drops the status and headers an endpoint set before it was refused (a stream sets Content-Length
    /// and Content-Range for the bytes it meant to send; left in place, they would describe the problem
    /// body wrongly and the server would cut the connection instead of answering). False once the
    /// response has started: then nothing can be answered and the refusal must end the request.
    /// </summary>
    public static bool TryReset(HttpResponse response)
    {
        if (response.HasStarted)
        {
            return false;
        }

        response.Clear();
        return true;
    }
}
