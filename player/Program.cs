using Enforcement.Media.Player.Hosting;
using Enforcement.Media.Storage.Hosting;

return await StartupFailure.GuardAsync(
    async () =>
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.AddPlayer();
        await using var app = builder.Build();
        app.MapPlayer();
        await app.RunAsync();
        return 0;
    },
    Console.Error);

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
