const http = require('node:http');
const { URL } = require('node:url');

const port = Number(process.env.PORT || 3000);
const products = { tea: 3, coffee: 0 };

const server = http.createServer((req, res) => {
  const { pathname } = new URL(req.url, `http://${req.headers.host}`);
  const name = pathname.slice('/stock/'.length);
  if (pathname.startsWith('/stock/') && name in products) {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ product: name, stock: products[name] }));
    return;
  }
  res.statusCode = 404;
  res.end('not found');
});

server.listen(port, '127.0.0.1', () => {
  console.log(`stock service on port ${port}`);
});
