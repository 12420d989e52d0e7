import { METHOD_METADATA } from '@nestjs/common/constants';
import { DECORATORS } from '@nestjs/swagger';

/** Operation extensions that carry the declarations into the document, where `openApiDocument` reads them. */
export const PROBLEM_CODES_EXTENSION = 'x-problem-codes';
export const PUBLIC_EXTENSION = 'x-public';

/**
 * The problem codes a route (on a method) or every route of a controller (on the class) can answer
 * with, declared next to the route. `openApiDocument` turns them into the operation's problem+json
 * answers, each code under the status the app's `statusByCode` gives it. Repeated uses add up.
 */
export function ApiProblems(...codes: string[]): MethodDecorator & ClassDecorator {
  return onHandlers((handler) => {
    const known = (extensionsOf(handler)[PROBLEM_CODES_EXTENSION] as string[] | undefined) ?? [];
    setExtension(handler, PROBLEM_CODES_EXTENSION, [...new Set([...known, ...codes])]);
  });
}

/** A route that needs no credentials: documented with `security: []`, which a route must otherwise earn. */
export function ApiPublic(): MethodDecorator & ClassDecorator {
  return onHandlers((handler) => setExtension(handler, PUBLIC_EXTENSION, true));
}

/** Applies to the decorated method, or on a class to each of its routes (decorated before the class is). */
function onHandlers(apply: (handler: object) => void): MethodDecorator & ClassDecorator {
  return (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    if (descriptor) return apply(descriptor.value as object);
    const prototype = (target as { prototype: object }).prototype;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const handler = Object.getOwnPropertyDescriptor(prototype, name)?.value as object | undefined;
      if (typeof handler === 'function' && Reflect.hasMetadata(METHOD_METADATA, handler)) apply(handler);
    }
  };
}

function extensionsOf(handler: object): Record<string, unknown> {
  return (Reflect.getMetadata(DECORATORS.API_EXTENSION, handler) as Record<string, unknown> | undefined) ?? {};
}

function setExtension(handler: object, key: string, value: unknown): void {
  Reflect.defineMetadata(DECORATORS.API_EXTENSION, { ...extensionsOf(handler), [key]: value }, handler);
}
