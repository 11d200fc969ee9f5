using System.Net;
using System.Text;
using MailAccounts.Domain.Contacts;
using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.Integration.Contacts;

/// <summary>
/// Import from CSV through its page: the preview says row by row what would be added and why a bad row would not,
/// Import adds every good row in one go, and a confirm the browser changed, or one the contacts outgrew since the
/// preview, imports nothing.
/// </summary>
[Collection(ProductCollection.Name)]
public sealed class when_contacts_are_imported_from_csv(ProductFixture product)
{
    private const string ImportPage = "/Contacts/Import";

    private async Task<Page> PreviewAsync(UserSession session, string fileName, byte[] content)
    {
        var form = Form.Of((await session.GetAsync(ImportPage)).Html, "form.import-upload", ImportPage);
        return await session.PostAsync(form, files: [("file", fileName, "text/csv", content)]);
    }

    private static Form ImportForm(Page preview) => Form.Of(preview.Html, "#preview form", ImportPage);

    [Fact]
    public async Task good_rows_are_imported_together_and_bad_rows_are_shown_with_their_line_and_why()
    {
        using var anna = await product.NewUserAsync();
        var tag = Contacts.Unique("csv");
        var taken = tag + "-taken@example.com";
        var holder = Contacts.Unique("Holder");
        await anna.Session.AddContactAsync(holder, "", taken);
        var csv = $"Name,Organisation,E-mail,Notes\n" +
                  $"Boris {tag},Petrov & Co,\"boris-{tag}@example.com; b-{tag}@example.org\",Met at the fair\n" +
                  $"Bad address {tag},,not-an-address,\n" +
                  $"Taken {tag},,{taken},\n" +
                  $"Anna {tag},{tag} Ltd,anna-{tag}@example.com,\n" +
                  $"Again {tag},,ANNA-{tag}@example.com,\n";

        var preview = await PreviewAsync(anna.Session, "people.csv", Encoding.UTF8.GetBytes(csv));

        preview.Status.ShouldBe(HttpStatusCode.OK, preview.Html);
        preview.Dom.All("#import-rows tr[data-row=good]").Select(r => r.GetAttribute("data-line")).ShouldBe(["2", "5"]);
        preview.Dom.All("#import-rows tr[data-row=bad]").Select(r => r.GetAttribute("data-line")).ShouldBe(["3", "4", "6"]);
        preview.Dom.Text("#import-rows tr[data-line='3'] [data-problems]").ShouldContain("not an e-mail address");
        preview.Dom.Text("#import-rows tr[data-line='4'] [data-problems]").ShouldContain(holder);
        preview.Dom.Text("#import-rows tr[data-line='6'] [data-problems]").ShouldContain("line 5");
        (await product.ContactCountAsync(tag)).ShouldBe(1);

        var imported = await anna.Session.PostAsync(ImportForm(preview), handler: "Import");

        imported.Status.ShouldBe(HttpStatusCode.Redirect, imported.Html);
        (await product.ContactCountAsync(tag)).ShouldBe(3);
        var list = await anna.Session.GetAsync("/Contacts?q=" + Uri.EscapeDataString("boris " + tag));
        var id = Guid.Parse(list.Dom.One("#contacts tr[data-contact]").GetAttribute("data-contact")!);
        var added = (await product.ContactEventsAsync(id)).OfType<ContactAdded>().Single();
        added.Source.ShouldBe(ContactDecisions.CsvSource);
        added.SourceDetail.ShouldBe("people.csv");
        added.Organisation.ShouldBe("Petrov & Co");
        added.Addresses.ShouldBe([new ContactAddress($"boris-{tag}@example.com", true), new ContactAddress($"b-{tag}@example.org", false)]);
    }

    [Fact]
    public async Task a_windows_1251_file_from_russian_excel_is_imported_in_its_letters()
    {
        using var anna = await product.NewUserAsync();
        var tag = Contacts.Unique("ru");
        var csv = $"Имя;Организация;Адрес\r\nБорис Петров {tag};ООО «Ромашка»;boris-{tag}@example.com\r\n";

        var preview = await PreviewAsync(anna.Session, "контакты.csv", Encoding.GetEncoding(1251).GetBytes(csv));
        preview.Dom.Text("[data-summary]").ShouldContain("Windows-1251");
        (await anna.Session.PostAsync(ImportForm(preview), handler: "Import")).Status.ShouldBe(HttpStatusCode.Redirect);

        var list = await anna.Session.GetAsync("/Contacts?q=" + Uri.EscapeDataString(tag));
        list.Dom.Text("#contacts [data-contact-name]").ShouldBe($"Борис Петров {tag}");
        list.Dom.Text("#contacts [data-organisation]").ShouldBe("ООО «Ромашка»");
    }

    [Fact]
    public async Task a_confirm_the_browser_changed_imports_nothing()
    {
        using var anna = await product.NewUserAsync();
        var tag = Contacts.Unique("forged");
        var preview = await PreviewAsync(anna.Session, "a.csv", Encoding.UTF8.GetBytes($"Name,Email\nForged {tag},forged-{tag}@example.com\n"));
        var form = ImportForm(preview);
        var token = form["token"];
        form["token"] = token[..^4] + (token.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");

        var refused = await anna.Session.PostAsync(form, handler: "Import");

        refused.Status.ShouldBe(HttpStatusCode.BadRequest);
        refused.Dom.Text("[data-import-problem]").ShouldContain("Nothing was imported");
        (await product.ContactCountAsync(tag)).ShouldBe(0);
    }

    [Fact]
    public async Task a_file_that_reads_differently_by_the_confirm_imports_nothing_at_all()
    {
        using var anna = await product.NewUserAsync();
        using var boris = await product.NewUserAsync();
        var tag = Contacts.Unique("raced");
        var preview = await PreviewAsync(anna.Session, "a.csv", Encoding.UTF8.GetBytes(
            $"Name,Email\nFirst {tag},first-{tag}@example.com\nSecond {tag},second-{tag}@example.com\n"));
        preview.Dom.All("#import-rows tr[data-row=good]").Count.ShouldBe(2);

        // Between the preview and the confirm, someone adds the second row's address by hand.
        await boris.Session.AddContactAsync("By hand " + tag, "", $"second-{tag}@example.com");
        var refused = await anna.Session.PostAsync(ImportForm(preview), handler: "Import");

        refused.Status.ShouldBe(HttpStatusCode.OK);
        refused.Dom.Text("[data-import-problem]").ShouldContain("Nothing was imported");
        refused.Dom.All("#import-rows tr[data-row=bad]").Select(r => r.GetAttribute("data-line")).ShouldBe(["3"]);
        (await product.ContactCountAsync("first " + tag)).ShouldBe(0);
        (await product.ContactCountAsync(tag)).ShouldBe(1);
    }

    [Fact]
    public async Task a_file_without_named_columns_is_refused_as_a_whole()
    {
        using var anna = await product.NewUserAsync();
        var preview = await PreviewAsync(anna.Session, "a.csv", Encoding.UTF8.GetBytes("Boris,boris@example.com\n"));
        preview.Dom.Text("[data-import-problem]").ShouldContain("The first line must name the columns");
        preview.Dom.Has("#preview").ShouldBeFalse();
    }
}
