using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using MailAccounts.Specs.Integration.Contacts;
using MailAccounts.Specs.Support;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MailAccounts.Specs.Integration.Access;

/// <summary>
/// Contacts are the organisation's: every page and handler under /Contacts (found from the host's endpoints, so a
/// page added later is tried without a line here) sends a visitor who is not signed in to sign in, and changes
/// nothing; a signed-in user who is not an administrator reaches them all but Delete, which is refused.
/// </summary>
[Collection(ProductCollection.Name)]
public sealed partial class when_anyone_reaches_for_contacts(ProductFixture product)
{
    [Fact]
    public async Task a_visitor_not_signed_in_is_sent_to_sign_in_from_every_contacts_page_and_handler()
    {
        using var anna = await product.NewUserAsync();
        var id = await anna.Session.AddContactAsync(Contacts.Contacts.Unique("Anonymous"), "", Contacts.Contacts.Unique("anon") + "@example.com");
        using var anonymous = product.NewSession();
        var routes = ContactRoutes();
        routes.Select(r => r.Page).Distinct().Order().ShouldBe(["/Contacts/Contact", "/Contacts/Edit", "/Contacts/History", "/Contacts/Import", "/Contacts/Index"]);

        var failures = new List<string>();
        foreach (var (page, verb, handler) in routes)
        {
            var path = $"{(page == "/Contacts/Index" ? "/Contacts" : page)}?id={id}{(handler is null ? "" : "&handler=" + handler)}";
            var answer = verb == "GET"
                ? await anonymous.GetAsync(path)
                : await anonymous.PostWithoutTokenAsync(path, new() { ["address"] = "x@example.com", ["Input.Name"] = "Forged" });
            if (answer.Status != HttpStatusCode.Redirect || answer.Location?.OriginalString.Contains("/SignIn", StringComparison.Ordinal) != true)
            {
                failures.Add($"{verb} {path}: {(int)answer.Status} {answer.Location}");
            }
        }

        failures.ShouldBeEmpty(string.Join(Environment.NewLine, failures));
        var contact = (await product.ContactAsync(id))!;
        contact.Deleted.ShouldBeFalse();
        (await product.ContactEventsAsync(id)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task a_user_who_is_not_an_administrator_may_not_delete_even_by_posting_the_handler()
    {
        using var anna = await product.NewUserAsync();
        using var boris = await product.NewUserAsync();
        var id = await anna.Session.AddContactAsync(Contacts.Contacts.Unique("Kept"), "", Contacts.Contacts.Unique("kept") + "@example.com");

        foreach (var session in new[] { anna.Session, boris.Session })
        {
            (await session.GetAsync($"/Contacts/Contact?id={id}")).Status.ShouldBe(HttpStatusCode.OK);
            var refused = await session.SubmitAsync($"/Contacts/Contact?id={id}", [], postTo: $"/Contacts/Contact?id={id}&handler=Delete");
            (refused.Status == HttpStatusCode.Forbidden || refused.Location?.OriginalString.Contains("/Forbidden", StringComparison.Ordinal) == true)
                .ShouldBeTrue($"{refused.Status} {refused.Location}");
        }

        (await product.ContactAsync(id))!.Deleted.ShouldBeFalse();
    }

    private IReadOnlyList<(string Page, string Verb, string? Handler)> ContactRoutes()
    {
        var webHost = typeof(Program).Assembly;
        return [.. product.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => e.Metadata.GetMetadata<PageActionDescriptor>())
            .OfType<PageActionDescriptor>()
            .Where(p => p.ViewEnginePath.StartsWith("/Contacts/", StringComparison.Ordinal))
            .DistinctBy(p => p.ViewEnginePath)
            .SelectMany(p => webHost.GetType("MailAccounts.WebHost.Pages" + p.ViewEnginePath.Replace('/', '.') + "Model")!
                .GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Select(m => HandlerMethod().Match(m.Name))
                .Where(m => m.Success)
                .Select(m => (p.ViewEnginePath, m.Groups[1].Value.ToUpperInvariant(), m.Groups[2].Value.Length == 0 ? null : m.Groups[2].Value)))];
    }

    [GeneratedRegex("^On(Get|Post)(.*?)(Async)?$")]
    private static partial Regex HandlerMethod();
}
