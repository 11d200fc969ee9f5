using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MailAccounts.Infrastructure.Mail;
using MimeKit;
using MimeKit.Text;

namespace MailAccounts.Infrastructure.LocalServers;

public sealed record DemoMailbox(string Address, string Name, string Password);

/// <summary>
/// Two mailboxes of the demo mail server, filled once with mail a CRM user meets: folders, plain and HTML
/// mail, attachments, a thread, encoded non-ASCII headers and Cyrillic mail in UTF-8, windows-1251 and KOI8-R,
/// one of them without a declared charset.
/// </summary>
public static class DemoMailboxes
{
    public const string Domain = "demo.test";

    private static readonly (string Local, string Name)[] People = [("anna", "Anna Smirnova"), ("boris", "Борис Петров")];

    public static async Task<IReadOnlyList<DemoMailbox>> SeedAsync(PrivateMailServer server, string folder, CancellationToken cancellationToken = default)
    {
        var file = Path.Combine(folder, "demo-mailboxes.json");
        if (File.Exists(file))
        {
            var existing = JsonSerializer.Deserialize<DemoMailbox[]>(await File.ReadAllTextAsync(file, cancellationToken))!;
            foreach (var mailbox in existing)
            {
                await server.SetMailboxAsync(mailbox.Address, mailbox.Password, cancellationToken);
            }

            return existing;
        }

        var mailboxes = People.Select(p => new DemoMailbox($"{p.Local}@{Domain}", p.Name, LocalFolders.NewSecret())).ToArray();
        foreach (var mailbox in mailboxes)
        {
            await server.SetMailboxAsync(mailbox.Address, mailbox.Password, cancellationToken);
        }

        var policy = new CertificatePolicy([X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(server.Endpoints.AuthorityCertificatePath, cancellationToken))]);
        var anna = mailboxes[0];
        var boris = mailboxes[1];
        await FillAsync(server.Endpoints, policy, anna, AnnasMail(anna, boris), cancellationToken);
        await FillAsync(server.Endpoints, policy, boris, BorisMail(anna, boris), cancellationToken);

        await LocalFolders.WriteSecretAsync(file, JsonSerializer.Serialize(mailboxes), cancellationToken);
        return mailboxes;
    }

    /// <summary>The product's client secret on the demo's authorization server: made once, kept in the data folder for this user alone.</summary>
    public static async Task<string> OAuthClientSecretAsync(string folder, CancellationToken cancellationToken)
    {
        var file = Path.Combine(folder, "demo-oauth-client-secret");
        if (!File.Exists(file))
        {
            await LocalFolders.WriteSecretAsync(file, LocalFolders.NewSecret(), cancellationToken);
        }

        return (await File.ReadAllTextAsync(file, cancellationToken)).Trim();
    }

    public static string Describe(MailServerEndpoints endpoints, IReadOnlyList<DemoMailbox> mailboxes)
    {
        var text = new StringBuilder();
        text.AppendLine("MailAccounts demo mail server (TLS certificates from the CA in " + endpoints.AuthorityCertificatePath + "):");
        text.AppendLine($"  host {endpoints.Host}; IMAP {endpoints.Imap} (STARTTLS), IMAPS {endpoints.Imaps}; POP3 {endpoints.Pop3} (STARTTLS), POP3S {endpoints.Pop3s}; SMTP {endpoints.Smtp} (STARTTLS), SMTPS {endpoints.Submissions}");
        foreach (var mailbox in mailboxes)
        {
            text.AppendLine($"  {mailbox.Name}: address and login {mailbox.Address}, password {mailbox.Password}");
        }

        text.AppendLine($"  Mail to an unknown address of {Domain} bounces back to the sender.");
        text.Append("  The account form also offers \"Sign in with Demo mail server\": its consent page takes the same address and password.");
        return text.ToString();
    }

    private static async Task FillAsync(
        MailServerEndpoints endpoints, CertificatePolicy policy, DemoMailbox mailbox,
        IEnumerable<(string Folder, MimeMessage Message, MessageFlags Flags)> mail, CancellationToken cancellationToken)
    {
        using var client = new ImapClient { ServerCertificateValidationCallback = policy.Validate };
        await client.ConnectAsync(endpoints.Host, endpoints.Imaps, SecureSocketOptions.SslOnConnect, cancellationToken);
        await client.AuthenticateAsync(mailbox.Address, mailbox.Password, cancellationToken);
        var personal = client.GetFolder(client.PersonalNamespaces[0])
            ?? throw new InvalidOperationException("The demo server has no personal namespace.");
        foreach (var group in mail.GroupBy(m => m.Folder))
        {
            var folder = await OpenOrCreateAsync(client, personal, group.Key, cancellationToken);
            foreach (var (_, message, flags) in group)
            {
                await folder.AppendAsync(new AppendRequest(message, flags, message.Date), cancellationToken);
            }
        }

        await client.DisconnectAsync(true, cancellationToken);
    }

    private static async Task<IMailFolder> OpenOrCreateAsync(ImapClient client, IMailFolder personal, string path, CancellationToken cancellationToken)
    {
        if (path == "INBOX")
        {
            return client.Inbox;
        }

        var folder = personal;
        foreach (var part in path.Split('/'))
        {
            var children = await folder.GetSubfoldersAsync(false, cancellationToken);
            folder = children.FirstOrDefault(f => f.Name == part)
                ?? await folder.CreateAsync(part, true, cancellationToken)
                ?? throw new InvalidOperationException($"The demo server did not create the folder {path}.");
        }

        return folder;
    }

    private static IEnumerable<(string, MimeMessage, MessageFlags)> AnnasMail(DemoMailbox anna, DemoMailbox boris)
    {
        var start = DateTimeOffset.UtcNow.Date.AddDays(-20);
        const string kickoffId = "kickoff-1@" + Domain;
        const string replyId = "kickoff-2@" + Domain;
        var kickoff = WithAttachment(
            Plain(boris, anna, "Project kickoff", start.AddHours(9), "Hi Anna,\n\nlet's start the Alpha project on Monday. The plan is attached.\n\nBoris"),
            "plan.txt", "text/plain", Encoding.UTF8.GetBytes("1. Kickoff\n2. Design\n3. Delivery\n"));
        kickoff.MessageId = kickoffId;
        var reply = Plain(anna, boris, "Re: Project kickoff", start.AddHours(11), "Monday works for me.\n\n> let's start the Alpha project on Monday.");
        reply.MessageId = replyId;
        reply.InReplyTo = kickoffId;
        reply.References.Add(kickoffId);
        var secondReply = Plain(boris, anna, "Re: Project kickoff", start.AddHours(13), "Great, see you then.");
        secondReply.InReplyTo = replyId;
        secondReply.References.AddRange([kickoffId, replyId]);

        yield return ("INBOX", kickoff, MessageFlags.Seen);
        yield return ("Sent", reply, MessageFlags.Seen);
        yield return ("INBOX", secondReply, MessageFlags.None);
        yield return ("INBOX", Html(boris, anna, "Newsletter: November", start.AddDays(2),
            "<h1>November news</h1><p>Our <b>CRM</b> now imports mail.</p><p><img src=\"https://example.com/pixel.png\" alt=\"tracking pixel\"></p>"
            + "<p><a href=\"https://example.com/news\">Read more</a></p>"), MessageFlags.None);
        yield return ("INBOX", Plain(boris, anna, "Встреча в понедельник", start.AddDays(3),
            "Анна, добрый день!\n\nПредлагаю встретиться в понедельник в 10:00.\n\nС уважением,\nБорис"), MessageFlags.None);
        yield return ("INBOX", Encoded(boris, anna, "Счёт на оплату (windows-1251)", start.AddDays(4), "windows-1251", declared: true,
            "Добрый день! Во вложении счёт № 42 на оплату услуг."), MessageFlags.None);
        yield return ("INBOX", Encoded(boris, anna, "Отчёт (KOI8-R)", start.AddDays(5), "koi8-r", declared: true,
            "Отчёт за квартал готов. Выручка выросла на 12%."), MessageFlags.Flagged);
        yield return ("INBOX", Encoded(boris, anna, "Old mail client (windows-1251, no charset)", start.AddDays(6), "windows-1251", declared: false,
            "Это письмо отправлено старым почтовым клиентом без указания кодировки."), MessageFlags.None);
        yield return ("INBOX", WithAttachment(Plain(boris, anna, "Contract draft", start.AddDays(7), "The draft contract is attached."),
            "Договор.csv", "text/csv", Encoding.UTF8.GetBytes("Клиент;Сумма\nООО Ромашка;150000\n")), MessageFlags.None);
        yield return ("Projects", Plain(boris, anna, "Projects overview", start.AddDays(8), "All current projects are listed in the CRM."), MessageFlags.Seen);
        yield return ("Projects/Alpha", Plain(boris, anna, "Alpha: design review", start.AddDays(9), "The design review is on Thursday."), MessageFlags.None);
        yield return ("Archive", Plain(boris, anna, "Archived: last year's plan", start.AddDays(-300), "For the record."), MessageFlags.Seen);
        yield return ("Trash", Plain(boris, anna, "Lunch?", start.AddDays(1), "Lunch at noon?"), MessageFlags.Seen | MessageFlags.Deleted);
    }

    private static IEnumerable<(string, MimeMessage, MessageFlags)> BorisMail(DemoMailbox anna, DemoMailbox boris)
    {
        var start = DateTimeOffset.UtcNow.Date.AddDays(-10);
        yield return ("INBOX", Plain(anna, boris, "Re: Project kickoff", start, "Monday works for me."), MessageFlags.Seen);
        yield return ("INBOX", Html(anna, boris, "Client list", start.AddDays(1),
            "<p>Here is the <i>client list</i> for Q4:</p><ul><li>ООО Ромашка</li><li>Müller GmbH</li></ul>"), MessageFlags.None);
        yield return ("Sent", Plain(boris, anna, "Встреча в понедельник", start.AddDays(2), "Предлагаю встретиться в понедельник."), MessageFlags.Seen);
    }

    private static MimeMessage Message(DemoMailbox from, DemoMailbox to, string subject, DateTimeOffset date)
    {
        var message = new MimeMessage { Subject = subject, Date = date };
        message.From.Add(new MailboxAddress(from.Name, from.Address));
        message.To.Add(new MailboxAddress(to.Name, to.Address));
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId(Domain);
        return message;
    }

    private static MimeMessage Plain(DemoMailbox from, DemoMailbox to, string subject, DateTimeOffset date, string text)
    {
        var message = Message(from, to, subject, date);
        message.Body = new TextPart(TextFormat.Plain) { Text = text };
        return message;
    }

    private static MimeMessage Html(DemoMailbox from, DemoMailbox to, string subject, DateTimeOffset date, string html)
    {
        var message = Message(from, to, subject, date);
        message.Body = new BodyBuilder { HtmlBody = html, TextBody = "This newsletter is best read as HTML." }.ToMessageBody();
        return message;
    }

    private static MimeMessage WithAttachment(MimeMessage message, string fileName, string mediaType, byte[] content)
    {
        var body = new BodyBuilder { TextBody = message.TextBody };
        body.Attachments.Add(fileName, content, ContentType.Parse(mediaType));
        message.Body = body.ToMessageBody();
        return message;
    }

    /// <summary>A message whose body is in a legacy charset; without <paramref name="declared"/> only a fallback charset reads it.</summary>
    private static MimeMessage Encoded(DemoMailbox from, DemoMailbox to, string subject, DateTimeOffset date, string charset, bool declared, string text)
    {
        var headers = Message(from, to, subject, date);
        var encoding = Encoding.GetEncoding(charset);
        using var raw = new MemoryStream();
        headers.Headers.Add(HeaderId.MimeVersion, "1.0");
        headers.Headers.Add(HeaderId.ContentType, declared ? $"text/plain; charset={charset}" : "text/plain");
        headers.Headers.Add(HeaderId.ContentTransferEncoding, "8bit");
        headers.Headers.WriteTo(raw);
        raw.Write("\r\n"u8);
        raw.Write(encoding.GetBytes(text.Replace("\n", "\r\n") + "\r\n"));
        raw.Position = 0;
        return MimeMessage.Load(raw);
    }
}
