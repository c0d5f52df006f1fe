using System.Text.RegularExpressions;
using Enforcement.Media.Tests.Infrastructure;

namespace Enforcement.Media.Tests.Ingest.Docks;

/// <summary>
/// No other code path deletes source files. Every call under <c>ingest/</c> that can
/// delete or overwrite a file must be on this allow-list, which names the file and the exact call;
/// a new one fails the build's tests until someone has looked at it and added it here on purpose.
/// </summary>
public sealed partial class SourceDeletionGuardTests
{
    /// <summary>The reviewed calls: where they are, the call itself, and why it is safe.</summary>
    private static readonly (string File, string Call, string Why)[] Allowed =
    [
        ("ingest/Docks/SourceRelease.cs", "File.Delete(path);", "THE source deletion, after its four checks"),
        ("ingest/Receipts/ReceiptFiles.cs", "File.Delete(temp);", "its own unfinished temporary receipt file"),
        ("ingest/Receipts/ReceiptFiles.cs", "File.Move(temp, path, overwrite: true);", "replaces an older receipt, never a source"),
        ("ingest/Agent/UploadStateFile.cs", "File.Delete(temp);", "its own unfinished temporary state file, in the receipts folder"),
        ("ingest/Agent/UploadStateFile.cs", "File.Move(temp, path, overwrite: true);", "replaces the station agent's own upload state file (.agent-uploads.json in the receipts folder), never a source"),
        ("ingest/Uploads/StagingArea.cs", "File.Delete(PathOf(uploadId));", "a tus upload's staged bytes: after the archive committed and the receipt is recorded (ArchiveUploadHandler), or when the uploader terminated an incomplete upload (tus termination)"),
        ("ingest/Media/Derivatives/MediaWorkFolder.cs", "Directory.Delete(stale, recursive: true);", "an earlier attempt's own job-<id>-* work folder under Media:WorkFolder"),
        ("ingest/Media/Derivatives/MediaWorkFolder.cs", "Directory.Delete(Path, recursive: true);", "this attempt's own work folder, after its output was streamed into the store"),
    ];

    [Fact]
    public void Only_the_allow_listed_calls_under_ingest_can_delete_or_overwrite_a_file()
    {
        var root = Repository.Root;
        var found = Directory.EnumerateFiles(Path.Combine(root, "ingest"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains("/obj/", StringComparison.Ordinal) && !path.Contains("/bin/", StringComparison.Ordinal))
            .SelectMany(path => DestructiveCalls(Path.GetRelativePath(root, path), File.ReadAllText(path)))
            .ToList();

        var unreviewed = found.Where(hit => !Allowed.Any(a => a.File == hit.File && hit.Line.Contains(a.Call, StringComparison.Ordinal))).ToList();
        Assert.True(unreviewed.Count == 0, "Calls that can delete or overwrite files outside SourceRelease (review, then allow-list):\n" + string.Join('\n', unreviewed));

        // The list must not rot: every entry is still there, once.
        foreach (var (file, call, _) in Allowed)
        {
            Assert.True(found.Count(hit => hit.File == file && hit.Line.Contains(call, StringComparison.Ordinal)) == 1, $"allow-listed {call} in {file} is gone or doubled");
        }
    }

    [Fact]
    public void Exactly_one_allow_listed_call_deletes_a_source_and_it_is_in_SourceRelease() =>
        Assert.Equal("ingest/Docks/SourceRelease.cs", Assert.Single(Allowed, a => a.Why.StartsWith("THE source deletion", StringComparison.Ordinal)).File);

    [Theory]
    [InlineData("File.Delete(source.FullPath);")]
    [InlineData("System.IO.File.Delete(x);")]
    [InlineData("new FileInfo(path).Delete();")]
    [InlineData("info.Delete ( );")]
    [InlineData("Directory.Delete(bay, recursive: true);")]
    [InlineData("File.Move(a, b, overwrite: true);")]
    [InlineData("File.Move(a, b, true);")]
    [InlineData("File.Replace(a, b, null);")]
    [InlineData("new FileStream(path, FileMode.Create);")]
    [InlineData("new FileStream(path, FileMode.Truncate);")]
    public void The_guard_recognises_each_way_of_destroying_a_file(string code) =>
        Assert.Single(DestructiveCalls("ingest/Somewhere/Else.cs", $"class X {{ void M() {{ {code} }} }}"));

    [Theory]
    [InlineData("// File.Delete(x) is never called here")]
    [InlineData("/// <summary>Never File.Delete(x).</summary>")]
    [InlineData("new FileStream(path, FileMode.CreateNew);")]
    [InlineData("await store.DeleteAsync(location, token);")]
    public void The_guard_ignores_comments_and_calls_that_cannot_destroy_a_file(string code) =>
        Assert.Empty(DestructiveCalls("ingest/Somewhere/Else.cs", code));

    private static IEnumerable<Hit> DestructiveCalls(string file, string source)
    {
        var lines = source.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var code = lines[i].Trim();
            if (code.StartsWith("//", StringComparison.Ordinal) || code.StartsWith('*') || code.StartsWith("/*", StringComparison.Ordinal))
            {
                continue;
            }

            if (Destructive().IsMatch(code))
            {
                yield return new Hit(file.Replace('\\', '/'), i + 1, code);
            }
        }
    }

    /// <summary>File/Directory.Delete, FileInfo/DirectoryInfo.Delete(), File.Replace, moves that overwrite, and file modes that truncate.</summary>
    [GeneratedRegex(@"\b(File|Directory)\s*\.\s*Delete\s*\(|\.\s*Delete\s*\(\s*\)|\bFile\s*\.\s*Replace\s*\(|\bFile\s*\.\s*Move\s*\([^;]*,\s*(overwrite\s*:\s*)?true\s*\)|\bFileMode\s*\.\s*(Create|Truncate)\b", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Destructive();

    private sealed record Hit(string File, int LineNumber, string Line)
    {
        public override string ToString() => $"{File}:{LineNumber}: {Line}";
    }
}
