using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using MailKit;
using MailAccounts.Specs.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using MimeKit;

namespace MailAccounts.Specs.Integration.Client;

/// <summary>
/// Mail as old and foreign mail programs wrote it, byte for byte: bodies in windows-1251, KOI8-R and ISO-2022-JP with
/// and without a declared charset, RFC 2047 encoded words in subjects and names (B and Q, several charsets at once,
/// malformed ones), and markup where only text belongs. Every message is built by hand, delivered over SMTP into
/// Dovecot, and read through the message list and the message page.
/// </summary>
[Collection(MailboxCollection.Name)]
public sealed class when_mail_arrives_in_legacy_charsets(ProductFixture product)
{
    private const string CaseHeader = "X-Charset-Case";

    /// <summary>Every Russian letter, Ё included, and nothing KOI8-R lacks (it has no « » — №).</summary>
    private const string Russian = "Съешь же ещё этих мягких французских булок, да выпей чаю. ЁЖИК в тумане.";

    private const string Japanese = "こんにちは、世界。日本語のメールです。";

    private static readonly ConditionalWeakTable<ProductFixture, Task<Delivered>> Deliveries = new();

    private static Encoding Charset(string name) => Encoding.GetEncoding(name);

    /// <summary>The messages, by case. Strings must be ASCII; anything else is given as the bytes it is on the wire.</summary>
    private static IEnumerable<(string Case, byte[] Bytes)> Messages()
    {
        yield return Plain("windows-1251 declared", "text/plain; charset=windows-1251", "8bit", Charset("windows-1251").GetBytes(Russian));
        yield return Plain("koi8-r declared", "text/plain; charset=koi8-r", "8bit", Charset("koi8-r").GetBytes(Russian));
        yield return Plain("koi8-r declared, quoted-printable HTML", "text/html; charset=\"KOI8-R\"", "quoted-printable",
            QuotedPrintable(Charset("koi8-r").GetBytes($"<p>{Russian}</p>")));
        yield return Plain("windows-1251 declared, base64 HTML", "text/html; charset=windows-1251", "base64",
            Encoding.ASCII.GetBytes(Convert.ToBase64String(Charset("windows-1251").GetBytes($"<p>{Russian}</p>"), Base64FormattingOptions.InsertLineBreaks)));
        yield return Plain("iso-2022-jp declared", "text/plain; charset=ISO-2022-JP", "7bit", Charset("iso-2022-jp").GetBytes(Japanese));
        yield return Plain("iso-2022-jp declared, HTML", "text/html; charset=iso-2022-jp", "7bit", Charset("iso-2022-jp").GetBytes($"<p>{Japanese}</p>"));
        yield return Plain("windows-1251 undeclared", "text/plain", "8bit", Charset("windows-1251").GetBytes(Russian));
        yield return Plain("koi8-r undeclared", "text/plain", "8bit", Charset("koi8-r").GetBytes(Russian));
        yield return Plain("utf-8 undeclared", "text/plain", "8bit", Encoding.UTF8.GetBytes(Russian));

        yield return Headed("B windows-1251 subject, Q koi8-r name",
            from: $"{QWord("koi8-r", "Борис Петров")} <boris@specs.test>",
            subject: BWord("windows-1251", "Счёт за март"));
        yield return Headed("Q windows-1251 subject, B utf-8 name",
            from: $"{BWord("utf-8", "Анна Иванова")} <anna@specs.test>",
            subject: QWord("windows-1251", "Привет, мир! Ёлка_и=знаки?"));
        yield return Headed("iso-2022-jp subject and name",
            from: $"{BWord("iso-2022-jp", "山田太郎")} <yamada@specs.test>",
            subject: BWord("ISO-2022-JP", Japanese));
        yield return Headed("mixed charsets in one subject",
            from: "Mixed <mixed@specs.test>",
            subject: $"Re: {BWord("koi8-r", "Привет, ")}\r\n {BWord("iso-2022-jp", "世界")}\r\n {QWord("utf-8", " und Grüße")} (3)");
        yield return Headed("malformed encoded words",
            from: "=?utf-8?B?not base64 at all?= <broken@specs.test>",
            subject: $"Start {BWord("windows-1251", "дальше")} =?x-no-such-charset?Q?abc?= =?utf-8?B?***?= and =?utf-8?Q?never_closed end");
        yield return Headed("markup in subject, name and address",
            from: "\"<img src=x onerror=alert(1)> 'Boris' & \\\"Co\\\"\" <\"<script>alert(2)</script>\"@specs.test>",
            subject: $"<script>alert(3)</script> \"quoted\" & 'single' {BWord("utf-8", "<b onmouseover=alert(4)>encoded</b>")}");
        yield return Raw8Bit("8-bit windows-1251 subject and name", Charset("windows-1251"));
        yield return Raw8Bit("8-bit utf-8 subject and name", Encoding.UTF8);
        yield return Headed("markup in an address without a name",
            from: "\"<svg onload=alert(5)>\"@specs.test",
            subject: "Address only");
    }

    private static (string, byte[]) Plain(string @case, string contentType, string transferEncoding, byte[] body) =>
        (@case, Bytes(Headers(@case, "Boris <boris@specs.test>", "Charset: " + @case),
            $"MIME-Version: 1.0\r\nContent-Type: {contentType}\r\nContent-Transfer-Encoding: {transferEncoding}\r\n\r\n", body, "\r\n"));

    private static (string, byte[]) Headed(string @case, string from, string subject) =>
        (@case, Bytes(Headers(@case, from, subject), "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nHeaders only.\r\n"));

    /// <summary>Subject and name in 8 bits, no encoded words: old mail programs sent them so.</summary>
    private static (string, byte[]) Raw8Bit(string @case, Encoding charset) =>
        (@case, Bytes("From: ", charset.GetBytes("Борис Петров"), " <boris@specs.test>\r\nTo: anna@specs.test\r\nSubject: ", charset.GetBytes("Счёт за март"),
            $"\r\nDate: Mon, 02 Mar 2026 10:00:00 +0000\r\n{CaseHeader}: {@case}\r\n",
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nHeaders only.\r\n"));

    private static string Headers(string @case, string from, string subject) =>
        $"From: {from}\r\nTo: anna@specs.test\r\nSubject: {subject}\r\nDate: Mon, 02 Mar 2026 10:00:00 +0000\r\n{CaseHeader}: {@case}\r\n";

    private static byte[] Bytes(params object[] parts) => parts.SelectMany(part => part switch
    {
        string text when text.All(char.IsAscii) => Encoding.ASCII.GetBytes(text),
        string text => throw new ArgumentException($"Not ASCII, give its bytes: {text}"),
        byte[] bytes => bytes,
        _ => throw new ArgumentException(part.GetType().Name),
    }).ToArray();

    private static string BWord(string charset, string text) => $"=?{charset}?B?{Convert.ToBase64String(Charset(charset).GetBytes(text))}?=";

    /// <summary>RFC 2047 Q: letters and digits as they are, space as _, every other byte as =XX.</summary>
    private static string QWord(string charset, string text) =>
        $"=?{charset}?Q?{string.Concat(Charset(charset).GetBytes(text).Select(b => b == (byte)' ' ? "_" : char.IsAsciiLetterOrDigit((char)b) ? ((char)b).ToString() : $"={b:X2}"))}?=";

    /// <summary>Quoted-printable by hand: printable ASCII as it is, every other byte as =XX, soft breaks before 76.</summary>
    private static byte[] QuotedPrintable(byte[] bytes)
    {
        var text = new StringBuilder();
        var line = 0;
        foreach (var b in bytes)
        {
            var piece = b is >= 33 and <= 126 and not (byte)'=' ? ((char)b).ToString() : $"={b:X2}";
            if (line + piece.Length > 75)
            {
                text.Append("=\r\n");
                line = 0;
            }

            text.Append(piece);
            line += piece.Length;
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }

    [Theory]
    [InlineData("windows-1251 declared", Russian)]
    [InlineData("koi8-r declared", Russian)]
    [InlineData("koi8-r declared, quoted-printable HTML", Russian)]
    [InlineData("windows-1251 declared, base64 HTML", Russian)]
    [InlineData("iso-2022-jp declared", Japanese)]
    [InlineData("iso-2022-jp declared, HTML", Japanese)]
    public async Task a_body_reads_correctly_in_its_declared_charset(string @case, string text)
    {
        var mail = await DeliveredAsync();

        (await mail.FrameTextAsync(@case)).ShouldContain(text);
    }

    [Fact]
    public async Task windows_1251_without_a_declared_charset_reads_correctly_in_the_default_fallback()
    {
        var mail = await DeliveredAsync();

        (await mail.FrameTextAsync("windows-1251 undeclared")).ShouldContain(Russian);
    }

    /// <summary>The list's preview line reads the text part by the body's rule, not as the server's PREVIEW guessed it (UTF-8).</summary>
    [Theory]
    [InlineData("windows-1251 undeclared")]
    [InlineData("utf-8 undeclared")]
    [InlineData("windows-1251 declared")]
    public async Task the_list_preview_reads_text_without_a_declared_charset_as_the_body_does(string @case)
    {
        var mail = await DeliveredAsync();

        var preview = await mail.ListPreviewAsync(@case);

        preview.ShouldStartWith(Russian[..40]);
        preview.ShouldNotContain("\uFFFD");
    }

    [Fact]
    public async Task utf_8_without_a_declared_charset_is_recognised_and_not_read_in_the_fallback()
    {
        var mail = await DeliveredAsync();

        (await mail.FrameTextAsync("utf-8 undeclared")).ShouldContain(Russian);
    }

    /// <summary>
    /// KOI8-R and windows-1251 give every Cyrillic letter a byte, so undeclared bytes are valid in both; the product does
    /// not guess, it reads them in the one fallback the administrator chose. With the default that is windows-1251.
    /// </summary>
    [Fact]
    public async Task koi8_r_without_a_declared_charset_cannot_be_told_from_windows_1251_and_is_read_in_the_default_fallback()
    {
        var mail = await DeliveredAsync();

        var frame = await mail.FrameTextAsync("koi8-r undeclared");

        frame.ShouldNotContain(Russian);
        frame.ShouldContain(Charset("windows-1251").GetString(Charset("koi8-r").GetBytes(Russian)));
    }

    [Fact]
    public async Task koi8_r_without_a_declared_charset_reads_correctly_where_the_fallback_is_set_to_koi8_r()
    {
        var mail = await DeliveredAsync();
        await using var second = product.CreateHost();
        await using var koi8Host = second.WithWebHostBuilder(builder => builder.UseSetting("Mail:FallbackCharset", "koi8-r"));
        using var session = new UserSession(koi8Host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));
        await session.SignInAsync(mail.User.Login, mail.User.Password);

        var page = await session.GetAsync(mail.MessagePath("koi8-r undeclared"));

        FrameOf(page).ShouldContain(Russian);
        FrameOf(await session.GetAsync(mail.MessagePath("windows-1251 declared"))).ShouldContain(Russian);
    }

    [Theory]
    [InlineData("B windows-1251 subject, Q koi8-r name", "Счёт за март", "Борис Петров")]
    [InlineData("Q windows-1251 subject, B utf-8 name", "Привет, мир! Ёлка_и=знаки?", "Анна Иванова")]
    [InlineData("iso-2022-jp subject and name", Japanese, "山田太郎")]
    [InlineData("mixed charsets in one subject", "Re: Привет, 世界 und Grüße (3)", "Mixed")]
    public async Task encoded_words_in_subjects_and_names_read_correctly_in_the_list_and_the_message(string @case, string subject, string name)
    {
        var mail = await DeliveredAsync();

        var row = await mail.ListRowAsync(@case);
        var message = await mail.User.Session.GetAsync(mail.MessagePath(@case));

        row.Subject.ShouldBe(subject);
        row.From.ShouldBe(name);
        TextOf(message, "h1[data-subject]").ShouldBe(subject);
        TextOf(message, "dd[data-from] [data-address-text]").ShouldContain(name);
        TextOf(message, "title").ShouldStartWith(subject);
    }

    /// <summary>Like a body, 8-bit header text is UTF-8 when it is valid UTF-8 and otherwise in the fallback charset.</summary>
    [Theory]
    [InlineData("8-bit windows-1251 subject and name")]
    [InlineData("8-bit utf-8 subject and name")]
    public async Task an_8_bit_subject_and_name_without_encoded_words_read_correctly_in_the_list_and_the_message(string @case)
    {
        var mail = await DeliveredAsync();

        var row = await mail.ListRowAsync(@case);
        var message = await mail.User.Session.GetAsync(mail.MessagePath(@case));

        row.Subject.ShouldBe("Счёт за март");
        row.From.ShouldBe("Борис Петров");
        TextOf(message, "h1[data-subject]").ShouldBe("Счёт за март");
        TextOf(message, "dd[data-from] [data-address-text]").ShouldContain("Борис Петров");
    }

    [Fact]
    public async Task malformed_encoded_words_are_shown_as_written_and_the_rest_still_reads()
    {
        var mail = await DeliveredAsync();

        var row = await mail.ListRowAsync("malformed encoded words");
        var message = await mail.User.Session.GetAsync(mail.MessagePath("malformed encoded words"));

        // The good word decodes; an unknown charset's ASCII shows as it is; a word never closed is left as written.
        // (MimeKit drops a B word that is not base64 and, being lenient, decodes a B word with spaces into noise.)
        message.Status.ShouldBe(HttpStatusCode.OK);
        foreach (var subject in new[] { row.Subject, TextOf(message, "h1[data-subject]") })
        {
            subject.ShouldStartWith("Start дальше");
            subject.ShouldContain("abc");
            subject.ShouldEndWith(" and =?utf-8?Q?never_closed end");
        }

        row.From.ShouldNotBeEmpty();
        TextOf(message, "dd[data-from] [data-address-text]").ShouldContain("<broken@specs.test>");
    }

    [Fact]
    public async Task markup_and_quotes_in_subjects_names_and_addresses_are_text_in_the_list_and_the_message()
    {
        var mail = await DeliveredAsync();
        const string subject = "<script>alert(3)</script> \"quoted\" & 'single' <b onmouseover=alert(4)>encoded</b>";
        const string name = "<img src=x onerror=alert(1)> 'Boris' & \"Co\"";

        var list = (await mail.User.Session.GetAsync(mail.ListPath)).Html;
        var row = await mail.ListRowAsync("markup in subject, name and address");
        var addressOnly = await mail.ListRowAsync("markup in an address without a name");
        var message = await mail.User.Session.GetAsync(mail.MessagePath("markup in subject, name and address"));
        var addressOnlyMessage = await mail.User.Session.GetAsync(mail.MessagePath("markup in an address without a name"));

        row.Subject.ShouldBe(subject);
        row.From.ShouldBe(name);
        addressOnly.From.ShouldBe("\"<svg onload=alert(5)>\"@specs.test");
        TextOf(message, "h1[data-subject]").ShouldBe(subject);
        TextOf(message, "title").ShouldStartWith(subject);
        TextOf(message, "dd[data-from] [data-address-text]").ShouldContain("<img src=x onerror=alert(1)>");
        TextOf(message, "dd[data-from] [data-address-text]").ShouldContain("<script>alert(2)</script>");
        TextOf(addressOnlyMessage, "dd[data-from] [data-address-text]").ShouldContain("<svg onload=alert(5)>");
        // Nowhere in the page source, the title included, does the mail's markup survive unencoded.
        foreach (var html in new[] { list, message.Html, addressOnlyMessage.Html })
        {
            foreach (var markup in new[] { "<script>alert", "<img src=x", "<b onmouseover", "<svg onload", "'single'", "\"quoted\"" })
            {
                html.ShouldNotContain(markup);
            }
        }
    }

    private async Task<Delivered> DeliveredAsync() => await Deliveries.GetValue(product, DeliverAsync);

    private static async Task<Delivered> DeliverAsync(ProductFixture product)
    {
        var user = await product.NewUserAsync();
        var mailbox = await product.NewMailboxAsync();
        var messages = Messages().ToArray();
        await product.DeliverAsync(mailbox, messages.Select(m => MimeMessage.Load(new MemoryStream(m.Bytes))).ToArray());
        (await user.Session.SubmitAsync(AccountForms.AddPage, AccountForms.For(product, mailbox, title: "Charsets"))).Status.ShouldBe(HttpStatusCode.Redirect);
        var account = (await user.Session.GetAsync("/Email/Settings/Accounts")).AccountIds().Single();

        // What the product reads must be what was written: the bodies arrived in Dovecot as the bytes they were.
        var uids = new Dictionary<string, uint>(StringComparer.Ordinal);
        using (var client = await product.SignInAsync(mailbox))
        {
            await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
            var request = new FetchRequest(MessageSummaryItems.UniqueId) { Headers = new HeaderSet([CaseHeader]) };
            foreach (var summary in await client.Inbox.FetchAsync(0, -1, request))
            {
                var @case = summary.Headers![CaseHeader]!;
                uids[@case] = summary.UniqueId.Id;
                using var stored = new MemoryStream();
                await (await client.Inbox.GetStreamAsync(summary.UniqueId)).CopyToAsync(stored);
                var written = messages.Single(m => m.Case == @case).Bytes;
                var body = written.AsSpan(written.AsSpan().IndexOf("\r\n\r\n"u8) + 4);
                stored.ToArray().AsSpan().IndexOf(body).ShouldBeGreaterThanOrEqualTo(0, $"{@case}: the body changed on its way into Dovecot");
            }
        }

        uids.Count.ShouldBe(messages.Length);
        return new Delivered(user, account, uids);
    }

    private static string FrameOf(Page page) => page.Dom.One("iframe[data-message-body]").GetAttribute("srcdoc") ?? "";

    /// <summary>The text the browser shows in the element: an element inside it would be markup that escaped encoding.</summary>
    private static string TextOf(AngleSharp.Dom.IElement? element, string what)
    {
        element.ShouldNotBeNull($"{what} is not in the page");
        element.Children.Select(c => c.OuterHtml).ShouldBeEmpty($"markup in {what}");
        return element.TextContent;
    }

    private static string TextOf(Page page, string selector) => TextOf(page.Dom.One(selector), selector);

    private sealed record Row(string From, string Subject);

    private sealed record Delivered(TestUser User, string Account, IReadOnlyDictionary<string, uint> Uids)
    {
        public string ListPath => $"/Email?account={Account}";

        public string MessagePath(string @case) => $"/Email/Message?account={Account}&folder=INBOX&uid={Uids[@case]}";

        public async Task<string> FrameTextAsync(string @case) => FrameOf(await User.Session.GetAsync(MessagePath(@case)));

        public async Task<string> ListPreviewAsync(string @case)
        {
            var list = (await User.Session.GetAsync(ListPath)).Dom;
            var row = list.All("#messages tr[data-message]")
                .Single(r => r.QuerySelector("[data-subject]")!.GetAttribute("href")!.EndsWith($"uid={Uids[@case]}", StringComparison.Ordinal));
            return TextOf(row.QuerySelector(".preview"), "the preview");
        }

        public async Task<Row> ListRowAsync(string @case)
        {
            var list = (await User.Session.GetAsync(ListPath)).Dom;
            var row = list.All("#messages tr[data-message]")
                .Single(r => r.QuerySelector("[data-subject]")!.GetAttribute("href")!.EndsWith($"uid={Uids[@case]}", StringComparison.Ordinal));
            return new Row(TextOf(row.QuerySelector("[data-from]"), "the sender"), TextOf(row.QuerySelector("[data-subject]"), "the subject"));
        }
    }
}
