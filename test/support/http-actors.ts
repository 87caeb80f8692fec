import { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import request from 'supertest';
import { Role } from '@jalon/domain';

export interface HttpActor {
  readonly id: string;
  readonly role: Role;
  readonly token: string;
  post(path: string, body?: object, headers?: Record<string, string>): request.Test;
  get(path: string): request.Test;
}

/** A caller with a signed token (the service's own secret), as `npm run cli -- token` makes them. */
export function actor(app: INestApplication, role: Role, id = `${role}-1`, organisationId = 'org-1'): HttpActor {
  const token = app.get(JwtService).sign({ role, org: organisationId }, { subject: id, expiresIn: '1h' });
  const server = app.getHttpServer();
  return {
    id,
    role,
    token,
    post: (path, body = {}, headers = {}) =>
      request(server)
        .post(path)
        .set({ authorization: `Bearer ${token}`, ...headers })
        .send(body),
    get: (path) => request(server).get(path).set('authorization', `Bearer ${token}`),
  };
}

let registered = 0;

/** Registers a candidate through the api (an admin of the organisation) and returns its id. */
export async function registerCandidate(admin: HttpActor): Promise<string> {
  registered += 1;
  const response = await admin
    .post('/candidates', {
      birthName: `Martin${registered}`,
      firstNames: ['Léa'],
      birthDate: '2001-03-14',
      sex: 'F',
      birthPlace: 'Lyon (69)',
      email: `lea${registered}@example.org`,
    })
    .expect(201);
  return response.body.id;
}
