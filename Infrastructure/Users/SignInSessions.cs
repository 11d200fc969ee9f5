using Marten;

namespace MailAccounts.Infrastructure.Users;

/// <summary>
/// One sign-in, kept on the server. The cookie names it, and every request must find it: sign-out deletes it, so a
/// copy of the cookie (a shared computer, a proxy's log) is refused at once instead of living on until it expires,
/// and its start bounds how long sliding renewal can keep a cookie alive.
/// </summary>
public sealed record SignInSession(Guid Id, Guid UserId, DateTimeOffset StartedAt)
{
    public bool IsOver(DateTimeOffset now, TimeSpan absoluteLifetime) => now - StartedAt >= absoluteLifetime;
}

public sealed record StartSession(Guid SessionId, Guid UserId, TimeSpan AbsoluteLifetime);

public sealed record EndSession(Guid SessionId, Guid UserId);

public static class StartSessionHandler
{
    public static void Handle(StartSession command, IDocumentSession session, TimeProvider time)
    {
        var now = time.GetUtcNow();
        // The user's sessions that ran out go as they sign in again, so that they do not pile up.
        var over = now - command.AbsoluteLifetime;
        session.DeleteWhere<SignInSession>(s => s.UserId == command.UserId && s.StartedAt <= over);
        session.Store(new SignInSession(command.SessionId, command.UserId, now));
    }
}

public static class EndSessionHandler
{
    // Only the user's own: a session id is not a capability to end someone else's.
    public static void Handle(EndSession command, IDocumentSession session) =>
        session.DeleteWhere<SignInSession>(s => s.Id == command.SessionId && s.UserId == command.UserId);
}
