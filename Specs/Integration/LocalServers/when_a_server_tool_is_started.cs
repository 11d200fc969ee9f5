using MailAccounts.Infrastructure.LocalServers;

namespace MailAccounts.Specs.Integration.LocalServers;

/// <summary>
/// initdb changes back to its working directory and fails when its user may not enter it, as the postgres user may
/// not enter the host's folder in a checkout under root's home.
/// </summary>
public sealed class when_a_server_tool_is_started
{
    [Fact]
    public async Task it_runs_in_a_folder_its_user_can_enter_whatever_the_hosts_own()
    {
        var where = (await ProcessRunner.RunAsync("sh", ["-c", "cd -P . && pwd"], CancellationToken.None, runAsUser: "postgres")).Trim();

        where.ShouldBe("/");
    }
}
