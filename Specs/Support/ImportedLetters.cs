using Marten;
using MailAccounts.Domain.Import;
using MailAccounts.Infrastructure.Import;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace MailAccounts.Specs.Support;

/// <summary>
/// Letters put into the system by the product's own import code (LetterIntake and ImportBatch, on a session of the
/// product's store), found at a place of a real account a spec created: what the import engine stores, without a run.
/// </summary>
public static class ImportedLetters
{
    public static LetterIntake Intake(this ProductFixture product) => product.Services.GetRequiredService<LetterIntake>();

    /// <summary>Imports the message as found in the account's folder under the UID; returns the letter's id.</summary>
    public static async Task<Guid> ImportLetterAsync(this ProductFixture product, Guid accountId, MimeMessage message, string folder = "INBOX", uint uid = 0, Guid? by = null)
    {
        using var raw = new MemoryStream();
        await message.WriteToAsync(raw);
        return await product.ImportRawLetterAsync(accountId, raw.ToArray(), folder, uid, by);
    }

    /// <param name="tooLarge">Stored as a letter above the size limit is: its header and structure, without its content.</param>
    public static async Task<Guid> ImportRawLetterAsync(
        this ProductFixture product, Guid accountId, byte[] raw, string folder = "INBOX", uint uid = 0, Guid? by = null, bool tooLarge = false)
    {
        var prepared = await product.Intake().PrepareAsync(new MemoryStream(raw), CancellationToken.None);
        var letter = prepared.Letter ?? throw new InvalidOperationException("The message was not read: " + prepared.Problem);
        if (tooLarge)
        {
            letter = letter with { TooLarge = true, CompressedRaw = null, Text = "", Attachments = [.. letter.Attachments.Select(a => a with { Compressed = null })] };
        }
        await using var session = product.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        var batch = new ImportBatch(session, by ?? Guid.Empty, DateTimeOffset.UtcNow);
        await batch.AddAsync(Place(accountId, folder, uid), letter, CancellationToken.None);
        await session.SaveChangesAsync();
        return letter.LetterId;
    }

    /// <summary>Puts a message of the account aside as the import does with one it cannot read; returns its quarantine id.</summary>
    public static async Task<Guid> QuarantineMessageAsync(this ProductFixture product, Guid accountId, string reason, string folder = "INBOX", uint uid = 0)
    {
        var place = Place(accountId, folder, uid);
        await using var session = product.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        var batch = new ImportBatch(session, Guid.Empty, DateTimeOffset.UtcNow);
        await batch.QuarantineAsync(place, reason, CancellationToken.None);
        await session.SaveChangesAsync();
        return LetterKey.QuarantineId(place);
    }

    /// <summary>A message with a text and an HTML body, and an attachment when <paramref name="attachment"/> is given.</summary>
    public static MimeMessage Message(string subject, string html = "<p>Hello</p>", (string Name, byte[] Content)? attachment = null,
        DateTimeOffset? date = null, string? messageId = null, string? inReplyTo = null)
    {
        var message = new MimeMessage { Subject = subject, Date = date ?? DateTimeOffset.UtcNow, MessageId = messageId ?? MimeKit.Utils.MimeUtils.GenerateMessageId() };
        message.From.Add(new MailboxAddress("Sender", "sender@" + ProductFixture.MailDomain));
        message.To.Add(new MailboxAddress("Reader", "reader@" + ProductFixture.MailDomain));
        if (inReplyTo is not null)
        {
            message.InReplyTo = inReplyTo;
            message.References.Add(inReplyTo);
        }

        var body = new BodyBuilder { HtmlBody = html, TextBody = "Hello" };
        if (attachment is { } file)
        {
            body.Attachments.Add(file.Name, file.Content);
        }

        message.Body = body.ToMessageBody();
        return message;
    }

    private static uint _uid = 1000;

    private static LetterPlace Place(Guid accountId, string folder, uint uid) =>
        new(accountId, folder, 1, (uid == 0 ? Interlocked.Increment(ref _uid) : uid).ToString(System.Globalization.CultureInfo.InvariantCulture));
}
