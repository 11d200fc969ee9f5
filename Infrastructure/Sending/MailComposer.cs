using Ganss.Xss;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Sending;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Rendering;
using MimeKit;
using MimeKit.Text;

namespace MailAccounts.Infrastructure.Sending;

/// <summary>Builds the MIME message of an outgoing mail, the same bytes at every attempt.</summary>
public static class MailComposer
{
    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    /// <summary>The account's outgoing name and address, or its own where the outgoing part leaves them empty.</summary>
    public static MailboxAddress Sender(Account account) =>
        Sender(account.Outgoing?.Name, account.Outgoing?.Address, account.Name, account.Address);

    /// <summary>The outgoing name and address, or the account's own where they are empty: for the saved account and the form alike.</summary>
    public static MailboxAddress Sender(string? outgoingName, string? outgoingAddress, string? name, string? address) => new(
        (outgoingName is { Length: > 0 } ? outgoingName : name ?? "").Trim(),
        (outgoingAddress is { Length: > 0 } ? outgoingAddress : address ?? "").Trim());

    /// <summary>Where the server delivers: every recipient, and the account's "Also forward to" as a blind copy.</summary>
    public static IReadOnlyList<MailboxAddress> Envelope(OutgoingMail mail, Account account)
    {
        var addressees = Drafts.Check(mail.Form, 0, long.MaxValue, int.MaxValue).Addressees
            ?? throw new InvalidOperationException($"Outgoing mail {mail.Id} was queued with malformed recipients.");
        var all = addressees.To.Concat(addressees.Cc).Concat(addressees.Bcc).Select(r => r.Address).ToList();
        if (account.Outgoing is { ForwardTo.Length: > 0 } outgoing && !all.Contains(outgoing.ForwardTo, StringComparer.OrdinalIgnoreCase))
        {
            all.Add(outgoing.ForwardTo);
        }

        return all.Select(a => new MailboxAddress("", a)).ToArray();
    }

    /// <summary>The message: headers from the draft, the body as HTML with a plain-text alternative or as plain text, in the user's charset.</summary>
    public static MimeMessage Compose(OutgoingMail mail, Account account)
    {
        var addressees = Drafts.Check(mail.Form, 0, long.MaxValue, int.MaxValue).Addressees
            ?? throw new InvalidOperationException($"Outgoing mail {mail.Id} was queued with malformed recipients.");
        var message = new MimeMessage
        {
            Subject = Drafts.Subject(mail.Subject),
            Date = mail.QueuedAt ?? mail.UpdatedAt,
            MessageId = mail.MessageId ?? throw new InvalidOperationException($"Outgoing mail {mail.Id} has no Message-ID; only queued mail is composed."),
        };
        message.From.Add(Sender(account));
        message.To.AddRange(addressees.To.Select(Address));
        message.Cc.AddRange(addressees.Cc.Select(Address));
        message.Bcc.AddRange(addressees.Bcc.Select(Address));
        if (mail.InReplyTo is { Length: > 0 } inReplyTo)
        {
            message.InReplyTo = inReplyTo;
        }

        foreach (var reference in mail.References)
        {
            message.References.Add(reference);
        }

        var body = Body(mail.Body, mail.PlainText, mail.Charset, out _);
        if (mail.Attachments.Count > 0)
        {
            var mixed = new Multipart("mixed") { body };
            foreach (var attachment in mail.Attachments)
            {
                mixed.Add(new MimePart(ContentType.TryParse(attachment.ContentType, out var type) ? type : new ContentType("application", "octet-stream"))
                {
                    Content = new MimeContent(new MemoryStream(attachment.Content)),
                    ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
                    ContentTransferEncoding = ContentEncoding.Base64,
                    FileName = attachment.FileName,
                });
            }

            body = mixed;
        }

        message.Body = body;
        return message;
    }

    /// <summary>
    /// The test e-mail of the account form, written as the account's mail will be: the same body (plain text, or
    /// sanitised HTML with its plain-text alternative) in the user's charset, and the signature laid out as Compose lays it.
    /// <paramref name="fellBackToUtf8"/> says that the charset could not carry the text.
    /// </summary>
    public static MimeMessage ComposeTest(
        MailboxAddress sender, MailboxAddress recipient, MailboxAddress? blindCopy, string subject, string text, RenderedSignature? signature,
        bool plainText, string charset, out bool fellBackToUtf8)
    {
        var signed = signature is null ? null : SignatureBlock(signature, plainText);
        var content = plainText
            ? text + (signed is null ? "" : "\n\n" + signed)
            : $"<p>{System.Net.WebUtility.HtmlEncode(text)}</p>" + signed;
        var message = new MimeMessage { Subject = subject, Body = Body(content, plainText, charset, out fellBackToUtf8) };
        message.From.Add(sender);
        message.To.Add(recipient);
        if (blindCopy is not null)
        {
            message.Bcc.Add(blindCopy);
        }

        return message;
    }

    /// <summary>
    /// The signature as it stands in a message: after the "-- " line (RFC 3676's signature separator) in plain text, and
    /// in HTML in a marked block that starts with the same line, as Thunderbird and Roundcube write it, so that the
    /// plain-text alternative keeps the separator too. An image without alternative text gets an empty one: it is
    /// decoration to a screen reader, not a file name read aloud.
    /// </summary>
    public static string SignatureBlock(RenderedSignature signature, bool plainText) =>
        plainText ? "-- \n" + signature.Text : $"<div class=\"signature\">-- <br>{WithImageAlternatives(signature.Html)}</div>";

    private static string WithImageAlternatives(string html)
    {
        if (!html.Contains("<img", StringComparison.OrdinalIgnoreCase))
        {
            return html;
        }

        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument($"<body>{html}</body>");
        foreach (var image in document.Body!.QuerySelectorAll("img:not([alt])"))
        {
            image.SetAttribute("alt", "");
        }

        return document.Body.InnerHtml;
    }

    /// <summary>Plain text as it is, or HTML through the sanitiser with a plain-text alternative; in the charset, or UTF-8 where it cannot carry the text.</summary>
    private static MimeEntity Body(string body, bool plainText, string charset, out bool fellBackToUtf8)
    {
        if (plainText)
        {
            var plain = OutgoingText.Create(TextFormat.Plain, body, charset);
            fellBackToUtf8 = plain.FellBackToUtf8;
            return plain.Part;
        }

        var safe = SanitizeHtml(body);
        var text = OutgoingText.Create(TextFormat.Plain, ReadableText.FromHtml(body), charset);
        var html = OutgoingText.Create(TextFormat.Html, safe, charset);
        fellBackToUtf8 = text.FellBackToUtf8 || html.FellBackToUtf8;
        return new MultipartAlternative { text.Part, html.Part };
    }

    /// <summary>What the user wrote in the HTML editor, without anything that could run in a reader's mail program.</summary>
    public static string SanitizeHtml(string html) => Sanitizer.Sanitize(html);

    private static MailboxAddress Address(Recipient recipient) => new(recipient.Name, recipient.Address);

    /// <summary>The library's defaults (no script, no event handlers, no javascript: links), keeping the classes that mark the signature and the quotation.</summary>
    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedAttributes.Add("class");
        sanitizer.AllowedAttributes.Add("type");
        return sanitizer;
    }
}

/// <summary>Moves a message's text from the plain-text to the HTML editor, and quotes an original.</summary>
public static class ComposeText
{
    /// <summary>Plain text as HTML: encoded, line breaks kept, links made clickable.</summary>
    public static string ToHtml(string text)
    {
        var converter = new TextToHtml { OutputHtmlFragment = true };
        return converter.Convert(text);
    }

    /// <summary>The original's text quoted line by line, under a line saying who wrote it when.</summary>
    public static string QuotePlain(string attribution, string originalText) =>
        attribution + "\n" + ReadableText.Quote(originalText.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd());

    public static string QuoteHtml(string attribution, string originalSafeHtml) =>
        $"<p class=\"attribution\">{System.Net.WebUtility.HtmlEncode(attribution)}</p><blockquote type=\"cite\">{originalSafeHtml}</blockquote>";
}
