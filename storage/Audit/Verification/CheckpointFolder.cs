namespace Enforcement.Media.Storage.Audit.Verification;

/// <summary>
/// Checkpoint objects as files beside an export (<c>checkpoints/</c>), each holding the stored
/// object's exact bytes, named <c>checkpoint-&lt;seq&gt;-&lt;first 16 hex of its SHA-256&gt;.json</c>.
/// </summary>
public static class CheckpointFolder
{
    public static async Task WriteAsync(string folder, IEnumerable<CheckpointObject> checkpoints, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        foreach (var checkpoint in checkpoints)
        {
            var digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(checkpoint.Content))[..16];
            long? seq = null;
            try
            {
                seq = CheckpointDocument.Parse(checkpoint.Content).Statement.Seq;
            }
            catch (FormatException)
            {
                // Exported anyway: the verifier reports what it is.
            }

            var name = seq is { } n ? $"checkpoint-{n:D12}-{digest}.json" : $"unreadable-{digest}.json";
            await File.WriteAllBytesAsync(Path.Combine(folder, name), checkpoint.Content, cancellationToken);
        }
    }

    public static async Task<IReadOnlyList<CheckpointObject>> ReadAsync(string folder, CancellationToken cancellationToken)
    {
        var checkpoints = new List<CheckpointObject>();
        if (!Directory.Exists(folder))
        {
            return checkpoints;
        }

        foreach (var path in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            checkpoints.Add(new CheckpointObject(Path.GetFileName(path), await File.ReadAllBytesAsync(path, cancellationToken)));
        }

        return checkpoints;
    }
}
