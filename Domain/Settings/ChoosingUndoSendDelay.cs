using MailAccounts.Domain.Common;
using MailAccounts.Domain.Sending;

namespace MailAccounts.Domain.Settings;

public static class ChoosingUndoSendDelay
{
    public const string DelayInvalid = "Settings.UndoSendDelayInvalid";

    /// <summary>
    /// One of the offered waits; choosing what the user has chosen before appends nothing. A user who never chose
    /// has the system's default, and choosing it explicitly is recorded: it then stays when the default changes.
    /// </summary>
    public static Decision ChooseUndoSendDelay(Guid userId, MailSettings? current, int seconds, Guid by, DateTimeOffset at)
    {
        if (!UndoingSend.Choices.Contains(seconds))
        {
            return Decision.Reject([new Violation("Seconds", DelayInvalid)]);
        }

        return current?.UndoSendSeconds == seconds
            ? Decision.Accept()
            : Decision.Accept(new UndoSendDelayChanged(userId, seconds, by, at));
    }
}
