using System.Net;
using System.Text.Json;
using MailKit;
using MailKit.Search;
using MailAccounts.Domain.Sending;
using MailAccounts.Infrastructure.Sending;
using MailAccounts.Specs.Support;
using MimeKit;

namespace MailAccounts.Specs.Integration.Sending;

[Collection(SendingCollection.Name)]
public sealed class when_sending_mail(ProductFixture product)
{
    private static async Task<Form> ComposeAsync(TestUser user, string path)
    {
        var page = await user.Session.GetAsync(path);
        page.Status.ShouldBe(HttpStatusCode.OK);
        return Form.Of(page.Html, "form.compose");
    }

    [Fact]
    public async Task it_reaches_the_recipient_the_blind_copies_and_the_sent_folder_and_the_account_records_it_without_the_body()
    {
        var sender = await product.NewMailboxAsync();
        var recipient = await product.NewMailboxAsync();
        var hidden = await product.NewMailboxAsync();
        var archive = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        var account = await product.AccountSendingAsAsync(user, sender, "Sales", forwardTo: archive.Address);

        var form = await ComposeAsync(user, $"/Email/Compose?account={account}");
        form["Input.To"] = $"Boris Petrov <{recipient.Address}>";
        form["Input.Bcc"] = hidden.Address;
        form["Input.Subject"] = "Quarterly figures";
        form["Input.PlainText"] = "true";
        form["Input.BodyIsPlain"] = "true";
        form["Input.Body"] = "The figures are attached.";
        var sent = await user.Session.PostAsync(form, files: [("Files", "figures.csv", "text/csv", "q,amount\n1,100\n"u8.ToArray())]);

        sent.Status.ShouldBe(HttpStatusCode.Redirect);
        var arrived = await product.WaitForMessageAsync(recipient, SearchQuery.SubjectContains("Quarterly figures"));
        arrived.From.Mailboxes.Single().Address.ShouldBe(sender.Address);
        arrived.To.Mailboxes.Single().Name.ShouldBe("Boris Petrov");
        arrived.Bcc.ShouldBeEmpty();
        arrived.TextBody!.ShouldContain("The figures are attached.");
        arrived.Attachments.OfType<MimePart>().Single().FileName.ShouldBe("figures.csv");
        (await product.WaitForMessageAsync(hidden, SearchQuery.HeaderContains("Message-ID", arrived.MessageId!))).Bcc.ShouldBeEmpty();
        await product.WaitForMessageAsync(archive, SearchQuery.HeaderContains("Message-ID", arrived.MessageId!));

        using (var client = await product.SignInAsync(sender))
        {
            var sentFolder = await client.GetFolderAsync("Sent");
            await sentFolder.OpenAsync(FolderAccess.ReadOnly);
            var copies = await sentFolder.SearchAsync(SearchQuery.HeaderContains("Message-ID", arrived.MessageId!));
            copies.Count.ShouldBe(1);
            var copy = await sentFolder.FetchAsync(copies, MessageSummaryItems.Flags);
            copy.Single().Flags!.Value.HasFlag(MessageFlags.Seen).ShouldBeTrue();
            (await sentFolder.GetMessageAsync(copies[0])).Bcc.Mailboxes.Single().Address.ShouldBe(hidden.Address);
        }

        var events = await product.EventsOfAsync(account);
        var record = events.Select(e => e.Data).OfType<MailSent>().Single();
        record.MessageId.ShouldBe(arrived.MessageId);
        record.Recipients.ShouldBe(3);
        record.CopiedToSent.ShouldBeTrue();
        var json = JsonSerializer.Serialize(record);
        json.ShouldNotContain("Quarterly figures");
        json.ShouldNotContain("The figures are attached.");
        (await product.WaitForOutgoingAsync(Composing.MailIdOf(form), m => m is null)).ShouldBeNull();
    }

    [Fact]
    public async Task html_is_sent_with_a_plain_text_alternative_in_the_users_charset()
    {
        var sender = await product.NewMailboxAsync();
        var recipient = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        var account = await product.AccountSendingAsAsync(user, sender, "Office");
        await user.Session.SubmitAsync("/Email/Settings/General", new()
        {
            ["Input.CheckIntervalMinutes"] = "0", ["Input.Charset"] = "koi8-r", ["Input.PageSize"] = "50",
        });

        var form = await ComposeAsync(user, $"/Email/Compose?account={account}");
        bool.Parse(form["Input.BodyIsPlain"]).ShouldBeFalse();
        form["Input.To"] = recipient.Address;
        form["Input.Subject"] = "Счёт на оплату";
        form["Input.Body"] = "<p>Добрый день! Счёт <b>во вложении</b>.</p><script>alert(1)</script>";
        (await user.Session.PostAsync(form)).Status.ShouldBe(HttpStatusCode.Redirect);

        var arrived = await product.WaitForMessageAsync(recipient, SearchQuery.SubjectContains("Счёт на оплату"));
        arrived.Body.ShouldBeOfType<MultipartAlternative>();
        var html = arrived.BodyParts.OfType<TextPart>().Single(p => p.IsHtml);
        html.ContentType.Charset.ShouldBe("koi8-r");
        html.Text.ShouldContain("<b>во вложении</b>");
        html.Text.ShouldNotContain("<script");
        arrived.TextBody!.ShouldContain("Добрый день! Счёт во вложении.");
    }

    [Fact]
    public async Task a_reply_keeps_the_thread_and_puts_the_signature_above_the_quote_when_the_user_asks()
    {
        var sender = await product.NewMailboxAsync();
        var boris = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        var account = await product.AccountSendingAsAsync(user, sender, "Replies");
        await user.Session.SubmitAsync("/Email/Settings/Signatures/Edit", new() { ["Input.Name"] = "Work", ["Input.Html"] = "<p>Anna, {{ account.title }} desk</p>" });
        var general = Form.Of((await user.Session.GetAsync("/Email/Settings/General")).Html, "#general-settings", "/Email/Settings/General");
        general["Input.SignatureBeforeQuote"] = "true";
        general["Input.PlainText"] = "true";
        general["Input.DefaultSignatureId"] = (await user.Session.GetAsync("/Email/Settings/General")).Dom
            .All("select[name=\"Input.DefaultSignatureId\"] option").Single(o => o.TextContent == "Work").GetAttribute("value")!;
        var saved = await user.Session.PostAsync(general);
        saved.Status.ShouldBe(HttpStatusCode.Redirect, saved.Html);

        var original = new MimeMessage { Subject = "Delivery dates", MessageId = "original-3@specs.test", Date = DateTimeOffset.UtcNow.AddHours(-1) };
        original.From.Add(new MailboxAddress("Boris Petrov", boris.Address));
        original.To.Add(MailboxAddress.Parse(sender.Address));
        original.References.Add("first-1@specs.test");
        original.References.Add("second-2@specs.test");
        original.Body = new TextPart("plain") { Text = "When can you deliver?\nBoris" };
        using (var client = await product.SignInAsync(sender))
        {
            await client.Inbox.AppendAsync(new AppendRequest(original, MessageFlags.None, original.Date));
        }

        var form = await ComposeAsync(user, $"/Email/Compose?mode=reply&account={account}&folder=INBOX&uid=1");
        form["Input.To"].ShouldBe($"\"Boris Petrov\" <{boris.Address}>");
        form["Input.Subject"].ShouldBe("Re: Delivery dates");
        form["Input.Body"] = "Next Tuesday." + form["Input.Body"];
        (await user.Session.PostAsync(form)).Status.ShouldBe(HttpStatusCode.Redirect);

        var reply = await product.WaitForMessageAsync(boris, SearchQuery.SubjectContains("Re: Delivery dates"));
        reply.InReplyTo.ShouldBe("original-3@specs.test");
        reply.References.ShouldBe(["first-1@specs.test", "second-2@specs.test", "original-3@specs.test"]);
        var text = reply.TextBody;
        text.ShouldStartWith("Next Tuesday.");
        text.IndexOf("Anna, Replies desk", StringComparison.Ordinal).ShouldBeLessThan(text.IndexOf("> When can you deliver?", StringComparison.Ordinal));
        text.ShouldContain("-- \n");
    }

    [Fact]
    public async Task reply_all_answers_everyone_but_the_user_and_forward_offers_the_attachments()
    {
        var sender = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        var account = await product.AccountSendingAsAsync(user, sender, "Team");
        var original = new MimeMessage { Subject = "Plan", Date = DateTimeOffset.UtcNow };
        original.From.Add(new MailboxAddress("Boris", "boris@specs.test"));
        original.ReplyTo.Add(new MailboxAddress("Boris's desk", "desk@specs.test"));
        original.To.Add(MailboxAddress.Parse(sender.Address));
        original.To.Add(new MailboxAddress("Vera", "vera@specs.test"));
        original.Cc.Add(new MailboxAddress("Gleb", "gleb@specs.test"));
        var body = new BodyBuilder { TextBody = "The plan." };
        body.Attachments.Add("plan.pdf", "%PDF-1.4 plan"u8.ToArray(), new ContentType("application", "pdf"));
        original.Body = body.ToMessageBody();
        using (var client = await product.SignInAsync(sender))
        {
            await client.Inbox.AppendAsync(new AppendRequest(original, MessageFlags.None, original.Date));
        }

        var all = await ComposeAsync(user, $"/Email/Compose?mode=all&account={account}&folder=INBOX&uid=1");
        all["Input.To"].ShouldBe("\"Boris's desk\" <desk@specs.test>, \"Vera\" <vera@specs.test>");
        all["Input.Cc"].ShouldBe("\"Gleb\" <gleb@specs.test>");

        var forward = await ComposeAsync(user, $"/Email/Compose?mode=forward&account={account}&folder=INBOX&uid=1");
        forward["Input.Subject"].ShouldBe("Fwd: Plan");
        forward["Input.To"].ShouldBe("");
        forward.All("Input.Forwarded").ShouldBe(["0"]);

        var recipient = await product.NewMailboxAsync();
        forward["Input.To"] = recipient.Address;
        (await user.Session.PostAsync(forward)).Status.ShouldBe(HttpStatusCode.Redirect);
        var arrived = await product.WaitForMessageAsync(recipient, SearchQuery.SubjectContains("Fwd: Plan"));
        var attachment = arrived.Attachments.OfType<MimePart>().Single();
        attachment.FileName.ShouldBe("plan.pdf");
        arrived.InReplyTo.ShouldBeNull();
    }

    [Fact]
    public async Task malformed_addresses_are_refused_by_name_and_nothing_written_is_lost()
    {
        var sender = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        var account = await product.AccountSendingAsAsync(user, sender, "Careful");
        var form = await ComposeAsync(user, $"/Email/Compose?account={account}");
        form["Input.To"] = "anna@, boris@specs.test; not an address";
        form["Input.Subject"] = "Kept";
        form["Input.PlainText"] = "true";
        form["Input.BodyIsPlain"] = "true";
        form["Input.Body"] = "A long letter I do not want to type again.";

        var page = await user.Session.PostAsync(form, files: [("Files", "notes.txt", "text/plain", "notes"u8.ToArray())]);

        page.Status.ShouldBe(HttpStatusCode.OK);
        page.ErrorAt("Input.To").ShouldStartWith(product.Word("Sending.AddressMalformed"));
        page.ErrorAt("Input.To").ShouldEndWith("anna@, not an address");
        var again = Form.Of(page.Html, "form.compose");
        again["Input.Body"].ShouldBe("A long letter I do not want to type again.");
        again["Input.Subject"].ShouldBe("Kept");
        page.Dom.Texts("[data-stored-attachment]").ShouldHaveSingleItem().ShouldContain("notes.txt");
        var outbox = await user.Session.GetAsync("/Email/Outbox");
        outbox.Dom.Texts("#outbox-draft tr[data-mail] [data-subject]").ShouldContain(subject => subject.StartsWith("Kept"));

        again["Input.To"] = "boris@specs.test";
        (await user.Session.PostAsync(again)).Status.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task a_line_break_in_the_subject_or_an_address_cannot_add_a_header()
    {
        var sender = await product.NewMailboxAsync();
        var recipient = await product.NewMailboxAsync();
        var eavesdropper = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        var account = await product.AccountSendingAsAsync(user, sender, "Injection");

        var form = await ComposeAsync(user, $"/Email/Compose?account={account}");
        form["Input.To"] = $"{recipient.Address}\r\nBcc: {eavesdropper.Address}";
        form["Input.Subject"] = "Hello";
        var refused = await user.Session.PostAsync(form);
        refused.Status.ShouldBe(HttpStatusCode.OK);
        refused.ErrorAt("Input.To").ShouldStartWith(product.Word("Sending.AddressMalformed"));

        form = Form.Of(refused.Html, "form.compose");
        form["Input.To"] = recipient.Address;
        form["Input.Subject"] = $"Hello\r\nBcc: {eavesdropper.Address}\r\nX-Injected: yes";
        (await user.Session.PostAsync(form)).Status.ShouldBe(HttpStatusCode.Redirect);

        var arrived = await product.WaitForMessageAsync(recipient, SearchQuery.SubjectContains("Hello"));
        arrived.Subject.ShouldBe($"Hello  Bcc: {eavesdropper.Address}  X-Injected: yes");
        arrived.Headers.Contains("X-Injected").ShouldBeFalse();
        arrived.Bcc.ShouldBeEmpty();
        using var client = await product.SignInAsync(eavesdropper);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        client.Inbox.Count.ShouldBe(0);
    }

    [Fact]
    public async Task a_permanent_refusal_waits_in_not_sent_with_the_servers_words_and_can_be_edited_and_sent_again()
    {
        var sender = await product.NewMailboxAsync();
        var recipient = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        var account = await product.AccountSendingAsAsync(user, sender, "Refused");
        var form = await ComposeAsync(user, $"/Email/Compose?account={account}");
        await product.ForgetMarkAsync(product.Misbehaving.RefusedRecipient);
        form["Input.To"] = product.Misbehaving.RefusedRecipient;
        form["Input.Subject"] = "Will bounce";
        (await user.Session.PostAsync(form)).Status.ShouldBe(HttpStatusCode.Redirect);

        var mail = await product.WaitForOutgoingAsync(Composing.MailIdOf(form), m => m?.Status == OutgoingMailStatus.NotSent);
        mail!.Attempts.ShouldBe(1);
        var outbox = (await user.Session.GetAsync("/Email/Outbox")).Dom;
        // The server's own words, in the row of the mail it refused.
        outbox.Text($"#outbox-notsent tr[data-mail=\"{Composing.MailIdOf(form)}\"] [data-problem]").ShouldContain("550 5.1.1");
        (await user.Session.GetAsync("/Email")).Dom.One("[data-not-sent]").GetAttribute("data-not-sent").ShouldBe("1");
        var failure = (await product.EventsOfAsync(account)).Select(e => e.Data).OfType<MailNotSent>().Single();
        failure.Permanent.ShouldBeTrue();
        failure.Detail.ShouldContain("550");

        var edit = await ComposeAsync(user, $"/Email/Compose?draft={mail.Id}");
        edit["Input.Subject"].ShouldBe("Will bounce");
        edit["Input.To"] = recipient.Address;
        (await user.Session.PostAsync(edit)).Status.ShouldBe(HttpStatusCode.Redirect);
        await product.WaitForMessageAsync(recipient, SearchQuery.SubjectContains("Will bounce"));
        (await product.WaitForOutgoingAsync(mail.Id, m => m is null)).ShouldBeNull();
    }

    [Fact]
    public async Task a_temporary_refusal_is_retried_and_after_the_last_retry_waits_in_not_sent()
    {
        var sender = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        var account = await product.AccountSendingAsAsync(user, sender, "Busy");
        var form = await ComposeAsync(user, $"/Email/Compose?account={account}");
        form["Input.To"] = product.Misbehaving.DeferredRecipient;
        form["Input.Subject"] = "Try later";
        (await user.Session.PostAsync(form)).Status.ShouldBe(HttpStatusCode.Redirect);

        var retrying = await product.WaitForOutgoingAsync(Composing.MailIdOf(form), m => m is { Attempts: >= 1, Sending: false });
        retrying!.Problem!.ShouldContain("450");
        var mail = await product.WaitForOutgoingAsync(Composing.MailIdOf(form), m => m?.Status == OutgoingMailStatus.NotSent, seconds: 60);
        mail!.Attempts.ShouldBe(ProductFixture.SendRetryDelays.Length + 1);
        var failure = (await product.EventsOfAsync(account)).Select(e => e.Data).OfType<MailNotSent>().Single();
        failure.Permanent.ShouldBeFalse();
        failure.Attempts.ShouldBe(ProductFixture.SendRetryDelays.Length + 1);
    }

    [Fact]
    public async Task another_users_draft_and_account_answer_404()
    {
        var sender = await product.NewMailboxAsync();
        using var owner = await product.NewUserAsync();
        using var stranger = await product.NewUserAsync();
        var account = await product.AccountSendingAsAsync(owner, sender, "Private");
        var form = await ComposeAsync(owner, $"/Email/Compose?account={account}");
        form["Input.Subject"] = "Mine";
        (await owner.Session.PostAsync(form, handler: "Save")).Status.ShouldBe(HttpStatusCode.Redirect);

        (await stranger.Session.GetAsync($"/Email/Compose?draft={Composing.MailIdOf(form)}")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.Session.GetAsync($"/Email/Compose?account={account}")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.Session.GetAsync($"/Email/Compose?mode=reply&account={account}&folder=INBOX&uid=1")).Status.ShouldBe(HttpStatusCode.NotFound);

        await product.AccountSendingAsAsync(stranger, await product.NewMailboxAsync(), "Strangers own");
        var strangers = await ComposeAsync(stranger, "/Email/Compose");
        strangers["Input.MailId"] = form["Input.MailId"];
        strangers["Input.AccountId"] = account.ToString();
        strangers["Input.To"] = "boris@specs.test";
        (await stranger.Session.PostAsync(strangers)).Status.ShouldBe(HttpStatusCode.NotFound);
    }
}
