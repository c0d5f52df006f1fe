using Enforcement.Media.Ingest.Media.Tools;

namespace Enforcement.Media.Tests.Ingest.Media;

public sealed class ToolTextTests
{
    [Theory]
    [InlineData("-i", "-i")]
    [InlineData("http://127.0.0.1:4000/o/abc_-9", "http://127.0.0.1:4000/o/abc_-9")]
    [InlineData("a b.mp4", "'a b.mp4'")]
    [InlineData("it's", @"'it'\''s'")]
    [InlineData("$(rm -rf /)", "'$(rm -rf /)'")]
    [InlineData("", "''")]
    public void Arguments_are_quoted_for_a_posix_shell_only_when_needed(string argument, string quoted) =>
        Assert.Equal(quoted, CommandLines.Quote(argument));

    [Fact]
    public void A_command_line_joins_the_program_and_its_quoted_arguments() =>
        Assert.Equal("ffmpeg -i 'my clip.mp4' -f null -", CommandLines.Format("ffmpeg", ["-i", "my clip.mp4", "-f", "null", "-"]));

    [Fact]
    public void The_stderr_tail_keeps_the_last_lines_and_says_how_many_it_dropped()
    {
        var tail = new StandardErrorTail(maxLines: 3, maxChars: 1000);
        for (var i = 1; i <= 10; i++)
        {
            tail.Add($"line {i}");
        }

        Assert.Equal("[… 7 earlier lines not kept]\nline 8\nline 9\nline 10", tail.ToString());
        Assert.Equal(10, tail.LineCount);
    }

    [Fact]
    public void The_stderr_tail_is_bounded_in_characters_too()
    {
        var tail = new StandardErrorTail(maxLines: 100, maxChars: 25);
        tail.Add(new string('a', 10));
        tail.Add(new string('b', 10));
        tail.Add(new string('c', 10));

        Assert.Equal($"[… 1 earlier lines not kept]\n{new string('b', 10)}\n{new string('c', 10)}", tail.ToString());
    }

    [Fact]
    public void An_overlong_line_keeps_its_end_where_ffmpeg_puts_the_reason()
    {
        var tail = new StandardErrorTail(maxLines: 10, maxChars: 20);
        tail.Add(new string('x', 100) + "moov atom not found");

        Assert.Equal("…moov atom not found", tail.ToString());
    }

    [Fact]
    public async Task Carriage_return_progress_lines_count_as_lines()
    {
        var tail = new StandardErrorTail(maxLines: 2, maxChars: 1000);

        await tail.CollectAsync(new StringReader("frame=1\rframe=2\rframe=3\nError while decoding\n"), TestContext.Current.CancellationToken);

        Assert.Equal("[… 2 earlier lines not kept]\nframe=3\nError while decoding", tail.ToString());
    }
}
