namespace Enforcement.Media.Tests.Infrastructure;

/// <summary>Names for per-test-class schemas and buckets, so classes run in parallel and re-runs never collide.</summary>
public static class UniqueName
{
    public static string For(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 16, 40)].ToLowerInvariant();
}
