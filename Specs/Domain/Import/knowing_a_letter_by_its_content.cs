using System.Text;
using MailAccounts.Domain.Import;
using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.Domain.Import;

/// <summary>
/// A letter's key hashes its content without the trace fields. The import hashes a message it holds in memory where it
/// lies; that must be the very hash the reading of a stream gives (the keys of letters already stored depend on it).
/// </summary>
public sealed class knowing_a_letter_by_its_content
{
    private static string AsStream(byte[] raw) => LetterKey.ContentHash(new BufferedStream(new MemoryStream(raw)));

    private static string InMemory(byte[] raw) => LetterKey.ContentHash(new MemoryStream(raw, 0, raw.Length, writable: false, publiclyVisible: true));

    public static TheoryData<string, string> Odd => new()
    {
        { "CRLF", "Received: from a\r\n by b\r\nSubject: Hi\r\nMessage-ID: <1@x>\r\n\r\nBody\r\n" },
        { "LF", "Subject: Hi\nReceived: from a\n\tby b\nX-Spam-Score: 1\n\nBody" },
        { "all header, no line break at the end", "Subject: Hi\nReceived: from a" },
        { "a trace field last, then a line without a break", "Subject: Hi\nReceived: from a\nTo: b" },
        { "folded lines before any field", " folded\nSubject: Hi\n\nBody" },
        { "a name in other case with white space", "rECEIVED  : from a\nReturn-Path:<a@b>\nSubject: Hi\n\n" },
        { "no colon", "Subject Hi\nReceived: x\n\nBody" },
        { "a colon first", ":Received\nSubject: Hi\n\nBody" },
        { "nothing", "" },
        { "a blank line first", "\r\nBody" },
        { "a name of other letters", "Récéived: x\nПолучено: y\n\nBody" },
    };

    [Theory]
    [MemberData(nameof(Odd))]
    public void a_message_in_memory_hashes_as_its_stream_does(string why, string text)
    {
        var raw = Encoding.UTF8.GetBytes(text);

        InMemory(raw).ShouldBe(AsStream(raw), why);
    }

    [Fact]
    public void trace_fields_are_left_out_and_everything_else_counts()
    {
        var delivered = Encoding.ASCII.GetBytes("Received: from a\r\nDelivered-To: x@y\r\nSubject: Hi\r\n\r\nBody\r\n");
        var elsewhere = Encoding.ASCII.GetBytes("Received: from c\r\n  by d\r\nSubject: Hi\r\n\r\nBody\r\n");
        var other = Encoding.ASCII.GetBytes("Received: from a\r\nSubject: Hi!\r\n\r\nBody\r\n");

        InMemory(delivered).ShouldBe(InMemory(elsewhere));
        InMemory(delivered).ShouldNotBe(InMemory(other));
    }

    [Fact]
    public void every_message_of_the_shared_corpus_hashes_the_same_either_way()
    {
        var folder = SharedCorpus.Folder("messages");
        var files = File.ReadAllLines(Path.Combine(folder, "index.tsv")).Skip(1).Where(l => l.Length > 0).Select(l => Path.Combine(folder, l.Split('\t')[0])).ToArray();
        files.Length.ShouldBe(190);

        foreach (var file in files)
        {
            var raw = File.ReadAllBytes(file);
            InMemory(raw).ShouldBe(AsStream(raw), Path.GetFileName(file));
        }
    }
}
