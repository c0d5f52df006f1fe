using System.Diagnostics.Metrics;

namespace Enforcement.Media.Storage.Fixity;

/// <summary>What re-reading stored originals found, by outcome: anything but verified is a finding to act on.</summary>
public sealed class FixityMetrics
{
    public const string MeterName = "Enforcement.Media.Fixity";

    private readonly Counter<long> _checks;
    private readonly Counter<long> _bytes;

    public FixityMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _checks = meter.CreateCounter<long>(
            "enforcement_media.fixity.checks", "{object}", "Stored originals re-read and re-hashed, by outcome (verified, mismatch, missing, unreadable).");
        _bytes = meter.CreateCounter<long>(
            "enforcement_media.fixity.bytes", "By", "Bytes re-read by fixity checks, by outcome.");
    }

    public void Checked(FixityResult result)
    {
        var outcome = new KeyValuePair<string, object?>("outcome", Name(result.Outcome));
        _checks.Add(1, outcome);
        if (result.ActualSize is { } read)
        {
            _bytes.Add(read, outcome);
        }
    }

    private static string Name(FixityOutcome outcome) => outcome switch
    {
        FixityOutcome.Verified => "verified",
        FixityOutcome.Mismatch => "mismatch",
        FixityOutcome.Missing => "missing",
        _ => "unreadable",
    };
}
