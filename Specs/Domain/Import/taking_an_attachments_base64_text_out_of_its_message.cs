using System.Text;
using MailAccounts.Infrastructure.Import;

namespace MailAccounts.Specs.Domain.Import;

/// <summary>
/// The import keeps an attachment's bytes once, and takes its base64 text out of the stored message only when writing
/// the bytes again as base64 gives back exactly that text (Base64Shape); any other text stays in the message.
/// </summary>
public sealed class taking_an_attachments_base64_text_out_of_its_message
{
    private static readonly byte[] Content = Enumerable.Range(0, 10_000).Select(i => (byte)(i * 31 % 256)).ToArray();

    /// <summary>The content as an encoder writes it: lines of <paramref name="line"/> characters, the last shorter.</summary>
    private static string Encoded(byte[] content, int line, string end) =>
        string.Join(end, Convert.ToBase64String(content).Chunk(line).Select(c => new string(c)));

    private static (long Length, int LineLength, bool Crlf)? Shape(string text, long size, int chunk = int.MaxValue)
    {
        var shape = new Base64Shape();
        foreach (var part in Encoding.ASCII.GetBytes(text).Chunk(Math.Min(chunk, Math.Max(1, text.Length))))
        {
            shape.Feed(part);
        }

        return shape.Detachable(size);
    }

    [Theory]
    [InlineData(76, "\r\n", "")]
    [InlineData(76, "\n", "")]
    [InlineData(76, "\r\n", "\r\n")]
    [InlineData(64, "\n", "\n\n  \t\n")]
    [InlineData(72, "\r\n", " \r\n")]
    public void text_an_encoder_writes_is_taken_out_and_written_back_the_same(int line, string end, string after)
    {
        var text = Encoded(Content, line, end);

        var shape = Shape(text + after, Content.Length).ShouldNotBeNull();

        shape.ShouldBe((text.Length, line, end == "\r\n"));
        using var written = new MemoryStream();
        new DetachedPart(100, shape.Length, "sha", shape.LineLength, shape.Crlf).WriteTo(Content, written);
        Encoding.ASCII.GetString(written.ToArray()).ShouldBe(text);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(77)]
    [InlineData(4096)]
    public void the_answer_is_the_same_however_the_text_arrives(int chunk)
    {
        var text = Encoded(Content, 76, "\r\n") + "\r\n";

        Shape(text, Content.Length, chunk).ShouldBe(Shape(text, Content.Length));
        Shape(text.Insert(200, " "), Content.Length, chunk).ShouldBeNull();
    }

    [Fact]
    public void text_of_one_line_is_taken_out_as_one_line()
    {
        var text = Convert.ToBase64String(Content);

        Shape(text, Content.Length).ShouldBe((text.Length, text.Length, true));
    }

    public static TheoryData<string, string> Odd => new()
    {
        { "lines of two lengths", Encoded(Content[..300], 76, "\r\n") + "\r\n" + Encoded(Content[300..], 60, "\r\n") },
        { "a line longer than the first", Encoded(Content[..57], 76, "\r\n") + "\r\n" + Encoded(Content[57..], 80, "\r\n") },
        { "CRLF and LF mixed", Encoded(Content, 76, "\r\n").ReplaceFirst("\r\n", "\n") },
        { "a character outside the alphabet", Encoded(Content, 76, "\r\n").Remove(100, 1).Insert(100, "*") },
        { "white space inside a line", Encoded(Content, 76, "\r\n").Insert(100, " ") },
        { "a CR without LF", Encoded(Content, 76, "\r\n").ReplaceFirst("\r\n", "\r") },
        { "an empty line first", "\r\n" + Encoded(Content, 76, "\r\n") },
        { "text after the padding", Encoded(Content[..10], 76, "\r\n") + "\r\n" + Encoded(Content[10..], 76, "\r\n") },
        { "text after a blank line", Encoded(Content[..57], 76, "\r\n") + "\r\n\r\n" + Encoded(Content[57..], 76, "\r\n") },
        { "lines shorter than a group", Encoded(Content, 3, "\r\n") },
    };

    [Theory]
    [MemberData(nameof(Odd))]
    public void text_an_encoder_would_write_otherwise_stays_in_the_message(string why, string text)
    {
        Shape(text, Content.Length).ShouldBeNull(why);
    }

    [Theory]
    [InlineData("QQ==", 1, true)]
    [InlineData("QR==", 1, false)]
    [InlineData("QUI=", 2, true)]
    [InlineData("QUJ=", 2, false)]
    [InlineData("QUJD", 3, true)]
    [InlineData("QUJD", 2, false)]
    [InlineData("QQ=", 1, false)]
    [InlineData("Q===", 0, false)]
    public void padding_is_taken_out_only_when_an_encoder_writes_it_so(string text, int size, bool detachable)
    {
        // "QR==" decodes to the same byte as "QQ==" (its unused bits are not zero): encoding that byte again gives "QQ==".
        (Shape(text, size) is not null).ShouldBe(detachable);
    }
}

internal static class Replacing
{
    public static string ReplaceFirst(this string text, string old, string with)
    {
        var at = text.IndexOf(old, StringComparison.Ordinal);
        return text[..at] + with + text[(at + old.Length)..];
    }
}
