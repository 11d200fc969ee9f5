using System.Globalization;
using MailKit;

namespace MailAccounts.Infrastructure.Mail.Mailboxes;

/// <summary>Previous and next for the letter page: the same arrival order as the list, so they step through the rows it shows.</summary>
internal sealed partial class ImapMailbox
{
    public async Task<Neighbours> NeighboursAsync(string folderName, string id, CancellationToken cancellationToken)
    {
        if (!uint.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number == 0)
        {
            return Neighbours.None;
        }

        var folder = await OpenForReadingAsync(folderName, cancellationToken);
        // A kept connection has the order from the list already: one ESEARCH confirms it, no second SORT.
        var uids = await NewestFirst.UidsAsync(client, folder, cancellationToken);
        var index = uids.IndexOf(new UniqueId(number));
        if (index < 0)
        {
            return Neighbours.None;
        }

        string Name(int at) => uids[at].Id.ToString(CultureInfo.InvariantCulture);
        return new Neighbours(index > 0 ? Name(index - 1) : null, index + 1 < uids.Count ? Name(index + 1) : null);
    }
}
