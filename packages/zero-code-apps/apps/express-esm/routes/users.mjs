import { Router } from 'express';

export const users = Router();

users.get('/:id', (request, response) => {
  response.json({ id: request.params.id, name: `user ${request.params.id}` });
});
