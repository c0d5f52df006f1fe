using System.Text.Json;
using Enforcement.Media.Storage.Jobs;

namespace Enforcement.Media.Ingest.Media.Redactions;

/// <summary>Reads the id a redaction or publication job names in its payload (such jobs have no recording id).</summary>
public static class JobPayloads
{
    public static Guid Id(ClaimedJob job, string property)
    {
        using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(job.Payload) ? "{}" : job.Payload);
        return document.RootElement.ValueKind == JsonValueKind.Object
            && document.RootElement.TryGetProperty(property, out var value)
            && value.ValueKind == JsonValueKind.String
            && Guid.TryParse(value.GetString(), out var id)
                ? id
                : throw new InvalidOperationException($"{job.Kind} job {job.Id} names no {property} in its payload.");
    }
}
