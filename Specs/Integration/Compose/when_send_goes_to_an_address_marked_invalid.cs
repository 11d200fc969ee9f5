using System.Net;
using MailKit.Search;
using MailAccounts.Infrastructure.Sending;
using MailAccounts.Specs.Support;
using MimeKit;

namespace MailAccounts.Specs.Integration.Compose;

/// <summary>
/// Send to an address marked invalid asks first: nothing is queued, the page names the addresses with since when and
/// the server's words, and keeps the form and its attachments; Send anyway sends (and Undo still takes it back).
/// Through the real host, the private Postfix and Dovecot.
/// </summary>
[Collection(SendingCollection.Name)]
public sealed class when_send_goes_to_an_address_marked_invalid(ProductFixture product)
{
    private const string Diagnostic = "550 5.1.1 <gone@specs.test>: Recipient address rejected: User unknown in virtual mailbox table";

    private static async Task<Form> ComposeAsync(TestUser user, Guid account)
    {
        var page = await user.Session.GetAsync($"/Email/Compose?account={account}");
        page.Status.ShouldBe(HttpStatusCode.OK);
        return Form.Of(page.Html, "form.compose");
    }

    [Fact]
    public async Task the_first_send_is_refused_with_the_reason_and_the_form_kept_and_send_anyway_delivers_it_with_its_attachment()
    {
        var sender = await product.NewMailboxAsync();
        var good = await product.NewMailboxAsync();
        var marked = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        var account = await product.AccountSendingAsAsync(user, sender, "Marks");
        var bouncedOn = new DateTimeOffset(2026, 11, 20, 9, 30, 0, TimeSpan.Zero);
        await product.MarkInvalidAsync(marked.Address, diagnostic: Diagnostic, reportDate: bouncedOn);

        var form = await ComposeAsync(user, account);
        var subject = "Price list " + ContactSeeds.Token();
        form["Input.To"] = $"Good <{good.Address}>";
        form["Input.Cc"] = $"Marked Person <{marked.Address.ToUpperInvariant()}>";
        form["Input.Subject"] = subject;
        form["Input.PlainText"] = "true";
        form["Input.BodyIsPlain"] = "true";
        form["Input.Body"] = "The price list is attached.";
        var refused = await user.Session.PostAsync(form, files: [("Files", "prices.csv", "text/csv", "item,price\n1,10\n"u8.ToArray())]);

        refused.Status.ShouldBe(HttpStatusCode.OK, "the page comes back: nothing was queued");
        var warning = refused.Dom.One("[data-invalid-recipients]");
        warning.GetAttribute("role").ShouldBe("alert");
        refused.Dom.All("[data-invalid-recipient]").Select(e => e.GetAttribute("data-invalid-recipient")).ShouldBe([marked.Address.ToLowerInvariant()]);
        var said = refused.Dom.Text("[data-invalid-recipient]");
        said.ShouldContain(product.Word("Verification.InvalidSince", "en").Replace("{0}", "", StringComparison.Ordinal).Trim());
        said.ShouldContain("2026");
        said.ShouldContain("5.1.1 " + Diagnostic);
        refused.Dom.Text("[data-address-marks='Input.Cc']").ShouldContain(product.Word("Verification.Invalid", "en"));
        refused.Dom.Text("[data-address-marks='Input.To']").ShouldBeEmpty();

        // Nothing is lost: the fields as written, the file stored with the draft, which is not queued.
        var kept = Form.Of(refused.Html, "form.compose");
        kept["Input.To"].ShouldBe($"Good <{good.Address}>");
        kept["Input.Cc"].ShouldBe($"Marked Person <{marked.Address.ToUpperInvariant()}>");
        kept["Input.Subject"].ShouldBe(subject);
        kept["Input.Body"].ShouldContain("The price list is attached.");
        refused.Dom.Text("[data-stored-attachment]").ShouldContain("prices.csv");
        var mailId = Composing.MailIdOf(kept);
        (await product.WaitForOutgoingAsync(mailId, m => m is not null))!.Status.ShouldBe(OutgoingMailStatus.Draft);

        // Send again, not anyway: still refused. Send anyway: the addresses shown are confirmed, and it goes.
        (await user.Session.PostAsync(kept)).Dom.Has("[data-invalid-recipients]").ShouldBeTrue();
        var anyway = Form.Of(refused.Html, "form.compose");
        anyway["Input.SendAnyway"] = refused.Dom.One("button[data-send-anyway]").GetAttribute("value")!;
        var sent = await user.Session.PostAsync(anyway);
        sent.Status.ShouldBe(HttpStatusCode.Redirect, sent.Html);

        var arrived = await product.WaitForMessageAsync(good, SearchQuery.SubjectContains(subject));
        arrived.Attachments.OfType<MimePart>().Single().FileName.ShouldBe("prices.csv");
        (await product.WaitForMessageAsync(marked, SearchQuery.SubjectContains(subject))).TextBody!.ShouldContain("The price list is attached.");
    }

    [Fact]
    public async Task send_anyway_confirms_only_the_addresses_shown_and_is_undone_like_any_send()
    {
        var sender = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        var account = await product.AccountSendingAsAsync(user, sender, "Undo marks");
        (await user.Session.SubmitAsync("/Email/Settings/General", new() { ["seconds"] = "30" }, handler: "UndoSend")).Status.ShouldBe(HttpStatusCode.Redirect);
        var first = $"first.{ContactSeeds.Token()}@specs.test";
        var second = $"second.{ContactSeeds.Token()}@specs.test";
        await product.MarkInvalidAsync(first);
        await product.MarkInvalidAsync(second);

        var form = await ComposeAsync(user, account);
        form["Input.To"] = first;
        form["Input.Subject"] = "Undo after send anyway";
        var refused = await user.Session.PostAsync(form);
        var confirmed = Form.Of(refused.Html, "form.compose");
        confirmed["Input.SendAnyway"] = refused.Dom.One("button[data-send-anyway]").GetAttribute("value")!;

        // Another marked address put in since the warning is warned about again, and only it.
        confirmed["Input.To"] = $"{first}, {second}";
        var again = await user.Session.PostAsync(confirmed);
        again.Status.ShouldBe(HttpStatusCode.OK);
        again.Dom.All("[data-invalid-recipient]").Select(e => e.GetAttribute("data-invalid-recipient")).ShouldBe([first, second]);

        var anyway = Form.Of(again.Html, "form.compose");
        anyway["Input.SendAnyway"] = again.Dom.One("button[data-send-anyway]").GetAttribute("value")!;
        var sent = await user.Session.PostAsync(anyway);
        sent.Status.ShouldBe(HttpStatusCode.Redirect, sent.Html);
        var mailId = Composing.MailIdOf(anyway);
        (await product.WaitForOutgoingAsync(mailId, m => m is not null))!.Status.ShouldBe(OutgoingMailStatus.Queued);

        var landed = await user.Session.GetAsync(sent.Location!.ToString());
        landed.Dom.Has($"form[data-undo-send='{mailId}']").ShouldBeTrue("the page after a confirmed Send offers Undo");
        var undone = await user.Session.SubmitAsync("/Email/Compose", new() { ["mailId"] = mailId.ToString() }, postTo: "/Email/Sending?handler=Undo");
        undone.Status.ShouldBe(HttpStatusCode.Redirect);
        undone.Location!.ToString().ShouldContain($"draft={mailId}");
        (await product.WaitForOutgoingAsync(mailId, m => m is not null))!.Status.ShouldBe(OutgoingMailStatus.Draft);
    }
}
