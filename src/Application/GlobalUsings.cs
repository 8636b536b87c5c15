global using AutoMapper;
global using AutoMapper.QueryableExtensions;
global using CleanBackend.Application.Common.Exceptions;
global using CleanBackend.Application.Common.Interfaces;
global using CleanBackend.Application.Common.Models;
global using FluentValidation;
global using MediatR;
global using Microsoft.EntityFrameworkCore;
