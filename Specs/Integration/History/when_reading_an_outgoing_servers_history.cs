using System.Globalization;
using System.Net;
using MailAccounts.Domain.Outgoing;
using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.Integration.History;

/// <summary>
/// An outgoing server's history follows <see cref="OutgoingServerAccess"/>: a user's own server is theirs alone
/// (see <see cref="when_administrators_audit_the_organisation"/>), the system's default is the administrators'.
/// </summary>
[Collection(SharedSettingsCollection.Name)]
public sealed class when_reading_an_outgoing_servers_history(ProductFixture product)
{
    private static readonly string Page = $"/Email/Settings/OutgoingServers/History/{OutgoingServer.SystemDefaultId}";

    [Fact]
    public async Task the_system_servers_history_and_its_export_are_for_administrators_alone()
    {
        using var admin = await product.AdministratorAsync();
        // The fixture's own system server, so that it exists and the other specs of the collection send as before.
        (await admin.SubmitAsync("/Admin/OutgoingServer", new()
        {
            ["Input.Host"] = product.MailServer.Endpoints.Host,
            ["Input.Port"] = product.MailServer.Endpoints.Smtp.ToString(CultureInfo.InvariantCulture),
            ["Input.Security"] = "StartTls",
            ["Input.UseAuthentication"] = "false",
            ["Input.SenderDomains"] = string.Join("\n", ProductFixture.SenderDomains),
        })).Status.ShouldBe(HttpStatusCode.Redirect);
        using var user = await product.NewUserAsync();

        (await admin.GetAsync(Page)).Status.ShouldBe(HttpStatusCode.OK);
        (await admin.GetAsync(Page + "?handler=Export&format=json")).Status.ShouldBe(HttpStatusCode.OK);
        (await user.Session.GetAsync(Page)).Status.ShouldBe(HttpStatusCode.NotFound);
        (await user.Session.GetAsync(Page + "?handler=Export&format=csv")).Status.ShouldBe(HttpStatusCode.NotFound);
    }
}
