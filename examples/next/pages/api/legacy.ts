import type { NextApiRequest, NextApiResponse } from 'next';

// A Pages Router API route.
export default function handler(_request: NextApiRequest, response: NextApiResponse) {
  response.status(200).json({ router: 'pages' });
}
