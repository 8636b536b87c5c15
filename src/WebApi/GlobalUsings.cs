global using CleanBackend.Application.Common.Interfaces;
global using MediatR;
global using Microsoft.AspNetCore.Mvc;
