using System.Globalization;
using Marten;
using MailAccounts.Domain.Contacts;
using MailAccounts.Domain.Verification;
using MailAccounts.Infrastructure.Sending;
using MailAccounts.Infrastructure.Verification;
using Microsoft.Extensions.Localization;
using MimeKit;

namespace MailAccounts.WebHost.Pages.Email;

/// <summary>
/// The words of the invalid mark, as <c>_AddressMark</c> writes them: for the Scriban headers, the compose warning and
/// the suggestions, which cannot use the partial.
/// </summary>
public sealed record AddressMarkWords(string Word, string Detail)
{
    public static AddressMarkWords? Of(AddressState? state, IStringLocalizer text)
    {
        if (state is not { Invalid: true, Mark: { } mark })
        {
            return null;
        }

        var since = mark.Evidence.ReportDate.ToLocalTime().ToString("d", CultureInfo.CurrentCulture);
        var why = string.IsNullOrEmpty(mark.Status) ? mark.Diagnostic : $"{mark.Status} {mark.Diagnostic}";
        return new AddressMarkWords(text["Verification.Invalid"].Value, $"{text["Verification.InvalidSince", since].Value}: {why}");
    }
}

/// <summary>
/// The From, To and Cc of a message page, address by address: each with its invalid mark, and a link to the contact
/// holding it or to add one. One query for the marks and one for the contacts, whatever the message's length.
/// </summary>
public static class MessageAddresses
{
    /// <summary>The words the MessageHeaders template uses.</summary>
    public static readonly string[] Words =
        ["Client.From", "Client.To", "Client.Cc", "Client.Date", "Client.Attachments", "Message.Contact", "Message.AddToContacts"];

    /// <summary>
    /// Header lines by name (From, To, Cc), ready for the MessageHeaders template. The reader's <paramref name="own"/>
    /// addresses are marked like any other but offered no contact link: nobody adds themselves to the address book.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, object[]>> ViewAsync(
        IQuerySession session, IStringLocalizer text, IReadOnlyDictionary<string, IReadOnlyList<InternetAddress>> lines, IReadOnlyCollection<string> own,
        CancellationToken cancellationToken)
    {
        var addresses = lines.Values.SelectMany(l => l).SelectMany(Mailboxes).Select(m => m.Address).Where(a => a.Contains('@')).ToArray();
        var states = await AddressStates.InvalidAmongAsync(session, addresses, cancellationToken);
        var contacts = await ContactsHolding.OfAsync(session, addresses, cancellationToken);
        var mine = own.Where(a => a.Length > 0).Select(AddressVerification.Normalise).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return lines.ToDictionary(l => l.Key, l => l.Value.Select(a => Item(a, states, contacts, mine, text)).ToArray());
    }

    /// <summary>A header as the message page got it (text), read back into addresses; unreadable text stays one piece of text.</summary>
    public static IReadOnlyList<InternetAddress> Parse(string header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return [];
        }

        return InternetAddressList.TryParse(ParserOptions.Default, header, out var list) && list.Count > 0
            ? [.. list]
            : [new GroupAddress(header)];
    }

    private static IEnumerable<MailboxAddress> Mailboxes(InternetAddress address) => address switch
    {
        MailboxAddress mailbox => [mailbox],
        GroupAddress group => group.Members.SelectMany(Mailboxes),
        _ => [],
    };

    private static object Item(
        InternetAddress address, IReadOnlyDictionary<string, AddressState> states, IReadOnlyDictionary<string, Contact> contacts, IReadOnlySet<string> own,
        IStringLocalizer text)
    {
        // A group (undisclosed-recipients:;) or text that is no address is shown as it is, with nothing to link.
        if (address is not MailboxAddress { Address: var email } mailbox || !email.Contains('@'))
        {
            return new { Text = address is GroupAddress { Members.Count: 0 } group ? group.Name : address.ToString(), Address = "", Invalid = false, InvalidWord = "", InvalidDetail = "", ContactUrl = "", ContactLabel = "", AddUrl = "", AddLabel = "" };
        }

        var key = AddressVerification.Normalise(email);
        var mark = AddressMarkWords.Of(states.GetValueOrDefault(key), text);
        var contact = contacts.GetValueOrDefault(key);
        var shown = mailbox.ToString();
        var linked = contact is not null || !own.Contains(key);
        return new
        {
            Text = shown,
            Address = email,
            Invalid = mark is not null,
            InvalidWord = mark?.Word ?? "",
            InvalidDetail = mark?.Detail ?? "",
            ContactUrl = contact is null ? "" : $"/Contacts/Contact?id={contact.Id}",
            ContactLabel = contact is null ? "" : text["Message.OpenContact", contact.Name.Length > 0 ? contact.Name : email].Value,
            AddUrl = contact is null && linked ? $"/Contacts/Edit?name={Uri.EscapeDataString(mailbox.Name ?? "")}&address={Uri.EscapeDataString(email)}" : "",
            AddLabel = contact is null && linked ? text["Message.AddToContactsNamed", shown].Value : "",
        };
    }
}
