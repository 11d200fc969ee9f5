using System.Net;
using Marten;
using MailAccounts.Domain.Bounces;
using MailAccounts.Domain.Verification;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MailAccounts.Specs.Integration.Bounces;

/// <summary>
/// Admin » Diagnostics: "Check a message for a bounce" shows an uploaded message as the detector reads it (the same
/// reading as <c>bounce-check</c>), a bad upload is refused at the field, and "Deliverability" lists the latest
/// sender-side refusals from the bounce events, in English and Russian, for administrators only. In the collection of
/// the Diagnostics specs, whose rebuilds must not run while this page reads its views.
/// </summary>
[Collection(SharedSettingsCollection.Name)]
public sealed class when_an_administrator_checks_a_message_for_a_bounce(ProductFixture product)
{
    private const string Page = "/Admin/Diagnostics";

    private static byte[] Corpus(string name) => File.ReadAllBytes(Path.Combine(SharedCorpus.Folder("bounces"), name));

    private static async Task<UserSession> AdministratorInAsync(ProductFixture product, string culture)
    {
        var admin = await product.AdministratorAsync();
        await admin.SubmitAsync(Page, new() { ["culture"] = culture, ["returnUrl"] = Page }, postTo: "/Culture");
        return admin;
    }

    private static async Task<Support.Page> UploadAsync(UserSession session, string fileName, byte[]? content)
    {
        var form = Form.Of((await session.GetAsync(Page)).Html, "#bounce-check", Page);
        return await session.PostAsync(form, files: content is null ? [] : [("Upload", fileName, "message/rfc822", content)]);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task an_uploaded_bounce_shows_each_recipient_with_its_class_status_reason_and_the_servers_words(string culture)
    {
        using var admin = await AdministratorInAsync(product, culture);

        var page = await UploadAsync(admin, "mimekit-bounce.txt", Corpus("mimekit-bounce.txt"));

        page.Status.ShouldBe(HttpStatusCode.OK);
        page.Dom.One("#bounce-reading").GetAttribute("data-bounce").ShouldBe("true");
        page.Dom.Text("#bounce-reading .notice").ShouldContain(string.Format(product.Word("Bounces.IsBounce", culture), 1));
        var row = page.Dom.One("#bounce-recipients tr[data-address=\"netec.test@netecgc.com\"]");
        row.GetAttribute("data-class").ShouldBe(nameof(BounceClass.Hard));
        row.QuerySelector(".class")!.TextContent.ShouldBe(product.Word("Bounces.Class.Hard", culture));
        row.QuerySelector(".status")!.TextContent.ShouldContain("5.1.1");
        row.QuerySelector(".reason")!.TextContent.ShouldBe("userunknown");
        row.QuerySelector(".words")!.TextContent.ShouldContain("Recipient address rejected: User unknown");
        page.Dom.Text("#bounce-reading .message-id").ShouldContain("44565655.JitbitHelpdesk");
        page.Dom.Text("#bounce-check-title").ShouldBe(product.Word("Bounces.CheckTitle", culture));
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task what_is_not_a_bounce_says_what_it_is(string culture)
    {
        using var admin = await AdministratorInAsync(product, culture);

        var page = await UploadAsync(admin, "vacation.eml", Corpus("sisimai-rfc3834-01.eml"));

        page.Dom.One("#bounce-reading").GetAttribute("data-bounce").ShouldBe("false");
        page.Dom.One("#bounce-reading").GetAttribute("data-kind").ShouldBe(nameof(ReportKind.AutoReply));
        page.Dom.Text("#bounce-reading .notice").ShouldContain(product.Word("Bounces.NotBounce.AutoReply", culture));
        page.Dom.All("#bounce-recipients").ShouldBeEmpty();
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task an_empty_a_missing_or_a_too_large_upload_is_refused_at_the_field(string culture)
    {
        using var admin = await AdministratorInAsync(product, culture);

        var empty = await UploadAsync(admin, "empty.eml", []);
        var missing = await UploadAsync(admin, "", null);
        var large = await UploadAsync(admin, "large.eml", new byte[5 * 1024 * 1024 + 1]);

        empty.Dom.Text("#bounce-upload-error").ShouldBe(product.Word("Bounces.UploadEmpty", culture));
        missing.Dom.Text("#bounce-upload-error").ShouldBe(product.Word("Bounces.UploadMissing", culture));
        large.Dom.Text("#bounce-upload-error").ShouldBe(string.Format(product.Word("Bounces.UploadTooLarge", culture), 5));
        foreach (var refused in new[] { empty, missing, large })
        {
            refused.Status.ShouldBe(HttpStatusCode.OK);
            refused.Dom.All("#bounce-reading").ShouldBeEmpty();
        }
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task a_sender_side_refusal_shows_under_deliverability_and_a_recipients_bounce_does_not(string culture)
    {
        var blocked = $"blocked-{Guid.NewGuid():N}@example.com";
        var full = $"full-{Guid.NewGuid():N}@example.com";
        var older = $"older-{Guid.NewGuid():N}@example.com";
        var accountId = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        await using (var session = product.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            var evidence = new BounceEvidence(BounceSource.Report, accountId, Guid.NewGuid(), "sent@example.com", "INBOX", 1, 7, "report@example.com", now);
            session.Events.Append(AddressVerification.IdOf(blocked), new AddressBounced(blocked, BounceClass.SenderSide, "blocked", "5.7.1", 554,
                "Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org", evidence, now));
            session.Events.Append(AddressVerification.IdOf(full), new AddressBounced(full, BounceClass.Soft, "mailboxfull", "5.2.2", 552,
                "Mailbox full", evidence with { Uid = 8 }, now));
            session.Events.Append(AddressVerification.IdOf(older), new AddressBounced(older, BounceClass.SenderSide, "authfailure", "5.7.26", 550,
                "Unauthenticated email is not accepted", evidence with { Uid = 9 }, now.AddDays(-1)));
            await session.SaveChangesAsync();
        }

        using var admin = await AdministratorInAsync(product, culture);
        var page = await admin.GetAsync(Page);

        page.Dom.Text("#deliverability-title").ShouldBe(product.Word("Bounces.Deliverability", culture));
        var row = page.Dom.One($"#refusals tr[data-address=\"{blocked}\"]");
        row.QuerySelector(".status")!.TextContent.ShouldContain("5.7.1");
        row.QuerySelector(".reason")!.TextContent.ShouldBe("blocked");
        row.QuerySelector(".words")!.TextContent.ShouldBe("Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org");
        row.QuerySelector(".account")!.TextContent.ShouldBe(accountId.ToString());
        page.Dom.All($"#refusals tr[data-address=\"{full}\"]").ShouldBeEmpty();
        var order = page.Dom.All("#refusals tbody tr").Select(r => r.GetAttribute("data-address")).ToList();
        order.IndexOf(blocked).ShouldBeLessThan(order.IndexOf(older), "newest first");
        order.IndexOf(older).ShouldBeGreaterThanOrEqualTo(0);
    }

    [Fact]
    public async Task a_user_who_is_not_an_administrator_reaches_neither_the_page_nor_the_check()
    {
        using var user = await product.NewUserAsync();

        var page = await user.Session.GetResponseAsync(Page);
        var check = await user.Session.PostWithoutTokenAsync(Page + "?handler=BounceCheck", []);

        (page.StatusCode == HttpStatusCode.Forbidden || page.Headers.Location?.ToString().Contains("/Forbidden", StringComparison.Ordinal) == true).ShouldBeTrue();
        check.Status.ShouldBeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.Redirect, HttpStatusCode.BadRequest);
        check.Html.ShouldNotContain("bounce-reading");
    }
}
