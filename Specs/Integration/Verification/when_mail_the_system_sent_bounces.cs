using System.Net;
using MailKit.Search;
using MailAccounts.Domain.Bounces;
using MailAccounts.Domain.Sending;
using MailAccounts.Domain.Verification;
using MailAccounts.Infrastructure.Sending;
using MailAccounts.Specs.Support;
using MimeKit;

namespace MailAccounts.Specs.Integration.Verification;

/// <summary>
/// Recipient verification end to end on the private servers: what the system sent bounces as Postfix writes it, or is
/// refused at RCPT; a check reads the bounce and marks the address; mail from the address clears it; and nothing that
/// is not a bounce of the system's own mail marks anything.
/// </summary>
[Collection(SendingCollection.Name)]
public sealed class when_mail_the_system_sent_bounces(ProductFixture product)
{
    private static string Nobody() => $"nobody-{Guid.NewGuid():N}"[..20] + "@" + ProductFixture.MailDomain;

    private static string Elsewhere() => $"someone-{Guid.NewGuid():N}"[..20] + "@example.org";

    [Fact]
    public async Task mail_to_an_unknown_user_bounces_as_postfix_writes_it_and_the_next_check_marks_the_address_until_mail_comes_from_it()
    {
        var sender = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        var account = await product.AccountSendingAsAsync(user, sender, "Bouncing");
        var nobody = Nobody();
        var sent = await product.SendThroughTheProductAsync(user, account, nobody, "Are you there");

        // Postfix takes it, Dovecot's LMTP knows no such user, and Postfix's own DSN comes back to the sender.
        var dsn = await product.WaitForMessageAsync(sender, SearchQuery.SubjectContains("Undelivered Mail"));
        dsn.Body!.ContentType.IsMimeType("multipart", "report").ShouldBeTrue();
        (await product.AddressStateAsync(nobody)).ShouldBeNull("nothing is marked before a check reads the bounce");

        var pressed = await user.Session.SubmitAsync("/Email/Settings/Accounts", new() { ["account"] = account.ToString() }, handler: "CheckMail");
        pressed.Status.ShouldBe(HttpStatusCode.Redirect);
        var marked = await product.WaitForAddressAsync(nobody, s => s is { Invalid: true });

        marked.ShouldNotBeNull();
        marked.Invalid.ShouldBeTrue();
        var mark = marked.Mark!;
        (mark.Class, mark.Reason, mark.Status).ShouldBe((BounceClass.Hard, "userunknown", "5.1.1"));
        mark.Diagnostic.ShouldContain("550");
        (mark.Evidence.Source, mark.Evidence.AccountId, mark.Evidence.SentMailId, mark.Evidence.Folder)
            .ShouldBe((BounceSource.Report, account, sent.Id, "INBOX"));
        mark.Evidence.Uid.ShouldBeGreaterThan(0u);
        mark.Evidence.ReportMessageId.ShouldBe(dsn.MessageId);

        // A second check finds nothing new, and the mark stays as it was.
        var again = await product.ReadForBouncesAsync(account);
        (again.Read, again.Bounces).ShouldBe((0, 0));
        (await product.AddressStateAsync(nobody))!.Bounces.ShouldBe(1);

        var reply = new MimeMessage { Subject = "I am here after all" };
        reply.From.Add(new MailboxAddress("Nobody", nobody.ToUpperInvariant()));
        reply.To.Add(MailboxAddress.Parse(sender.Address));
        reply.Body = new TextPart("plain") { Text = "The mailbox exists now." };
        await product.DeliverAsync(sender, [reply]);
        var read = await product.ReadForBouncesAsync(account);

        read.Cleared.ShouldBe(1);
        var cleared = (await product.AddressStateAsync(nobody))!;
        cleared.Invalid.ShouldBeFalse();
        cleared.LastCleared!.How.ShouldBe(ValidatedBy.MailReceived);
    }

    [Fact]
    public async Task a_pop3_account_reads_its_inbox_for_bounces_too_and_reads_each_message_once()
    {
        var sender = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        var title = "Pop " + Guid.NewGuid().ToString("N")[..6];
        var form = AccountForms.SendingAs(product, sender, title)
            .With("Input.Protocol", "Pop3")
            .With("Input.Port", product.MailServer.Endpoints.Pop3s.ToString(System.Globalization.CultureInfo.InvariantCulture));
        (await user.Session.SubmitAsync(AccountForms.AddPage, form)).Status.ShouldBe(HttpStatusCode.Redirect);
        var account = (await product.AccountsOfAsync(await product.UserIdAsync(user.Login))).Single(a => a.Title == title).Id;
        var nobody = Nobody();

        await product.SendThroughTheProductAsync(user, account, nobody, "Through POP3");
        await product.WaitForMessageAsync(sender, SearchQuery.SubjectContains("Undelivered Mail"));
        var read = await product.ReadForBouncesAsync(account);

        (read.Bounces, read.Marked, read.Problem).ShouldBe((1, 1, null));
        (await product.AddressStateAsync(nobody))!.Mark!.Evidence.Folder.ShouldBe("INBOX");
        (await product.ReadForBouncesAsync(account)).Read.ShouldBe(0);
    }

    [Fact]
    public async Task a_forged_bounce_for_mail_never_sent_or_for_an_address_that_was_not_a_recipient_marks_nothing()
    {
        var sender = await product.NewMailboxAsync();
        var recipient = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        var account = await product.AccountSendingAsAsync(user, sender, "Forged");
        var sent = await product.SendThroughTheProductAsync(user, account, recipient.Address, "A real message");
        var stranger = Elsewhere();
        var victim = Elsewhere();

        await product.DeliverAsync(sender,
        [
            Bouncing.Dsn(sender.Address, "never-sent-" + Guid.NewGuid().ToString("N") + "@" + ProductFixture.MailDomain, victim, "failed", "5.1.1",
                "550 5.1.1 User unknown", DateTimeOffset.UtcNow),
            Bouncing.Dsn(sender.Address, sent.MessageId, stranger, "failed", "5.1.1", "550 5.1.1 User unknown", DateTimeOffset.UtcNow),
        ]);
        var read = await product.ReadForBouncesAsync(account);

        (read.Bounces, read.Ignored, read.Marked).ShouldBe((2, 2, 0));
        (await product.AddressStateAsync(victim)).ShouldBeNull();
        (await product.AddressStateAsync(stranger)).ShouldBeNull();
        (await product.AddressStateAsync(recipient.Address)).ShouldBeNull();
    }

    [Fact]
    public async Task an_out_of_office_reply_and_a_delay_warning_mark_nothing()
    {
        var sender = await product.NewMailboxAsync();
        var recipient = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        var account = await product.AccountSendingAsAsync(user, sender, "Away");
        var sent = await product.SendThroughTheProductAsync(user, account, recipient.Address, "Meeting on Monday");

        var away = new MimeMessage { Subject = "Out of office: Meeting on Monday", InReplyTo = sent.MessageId };
        away.From.Add(MailboxAddress.Parse(recipient.Address));
        away.To.Add(MailboxAddress.Parse(sender.Address));
        away.Headers.Add(HeaderId.AutoSubmitted, "auto-replied");
        away.Headers.Add("X-Autoreply", "yes");
        away.Body = new TextPart("plain") { Text = "I am away until the 14th and will not read my mail." };
        await product.DeliverAsync(sender,
        [
            away,
            Bouncing.Dsn(sender.Address, sent.MessageId, recipient.Address, "delayed", "4.4.7", "450 4.4.7 Delivery time expired, still trying",
                DateTimeOffset.UtcNow, EnvelopeIds.Of(sent.Id)),
        ]);
        var read = await product.ReadForBouncesAsync(account);

        read.Read.ShouldBe(2);
        (read.Bounces, read.Marked).ShouldBe((0, 0));
        (await product.AddressStateAsync(recipient.Address)).ShouldBeNull();
    }

    [Fact]
    public async Task soft_bounces_mark_the_address_only_on_the_third_day()
    {
        var sender = await product.NewMailboxAsync();
        var recipient = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        var account = await product.AccountSendingAsAsync(user, sender, "Full");
        var now = DateTimeOffset.UtcNow;

        for (var day = 2; day >= 0; day--)
        {
            var sent = await product.SendThroughTheProductAsync(user, account, recipient.Address, $"Newsletter {day}");
            await product.DeliverAsync(sender,
                [Bouncing.Dsn(sender.Address, sent.MessageId, recipient.Address, "failed", "5.2.2", "552 5.2.2 Mailbox full", now.AddDays(-day))]);
            var read = await product.ReadForBouncesAsync(account);

            read.Bounces.ShouldBe(1);
            var state = (await product.AddressStateAsync(recipient.Address))!;
            state.Soft.Count.ShouldBe(3 - day);
            state.Invalid.ShouldBe(day == 0, $"after the bounce of {day} days ago");
        }

        (await product.AddressStateAsync(recipient.Address))!.Mark!.Reason.ShouldBe("mailboxfull");
    }

    [Fact]
    public async Task a_recipient_refused_at_rcpt_is_marked_at_once_and_the_others_still_get_the_message()
    {
        var sender = await product.NewMailboxAsync();
        var recipient = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        var account = await product.AccountSendingAsAsync(user, sender, "Refused one");
        var refused = product.Misbehaving.RefusedRecipient;
        await product.ForgetMarkAsync(refused);

        var sent = await product.SendThroughTheProductAsync(user, account, recipient.Address, "To both of you", cc: refused);

        (await product.WaitForMessageAsync(recipient, SearchQuery.SubjectContains("To both of you"))).MessageId.ShouldBe(sent.MessageId);
        var record = (await product.EventsOfAsync(account)).Select(e => e.Data).OfType<MailSent>().Single();
        record.Detail.ShouldContain(refused);
        var state = (await product.AddressStateAsync(refused))!;
        state.Invalid.ShouldBeTrue();
        (state.Mark!.Evidence.Source, state.Mark.Status, state.Mark.Class).ShouldBe((BounceSource.Smtp, "5.1.1", BounceClass.Hard));
        state.Mark.Diagnostic.ShouldContain("no such mailbox");
        (await product.AddressStateAsync(recipient.Address)).ShouldBeNull();
    }
}
