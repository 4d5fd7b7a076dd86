using Bun.Api.Database;
using Bun.Api.Endpoints;

namespace Bun.Api;

/// <summary>Builds the service; tests call this with <c>--urls http://127.0.0.1:0</c> and talk to a real Kestrel.</summary>
public static class BunApiApp
{
    public static WebApplication Create(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddSingleton(BuildInfo.From(builder.Configuration));
        builder.Services.AddSingleton(DatabaseConnection.From(builder.Configuration));
        builder.Services.AddSingleton<NotesStore>();
        builder.Services.AddPrometheusRegistry();

        var app = builder.Build();
        app.UseRequestMetrics();
        app.MapHealth();
        app.MapVersion();
        app.MapNotes();
        app.MapPrometheusMetrics();
        return app;
    }
}
