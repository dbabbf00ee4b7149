import { Controller, Get, Inject, NotFoundException, Param, ParseIntPipe } from '@nestjs/common';
import type { Pool } from 'pg';
import { POOL } from './database';

@Controller('products')
export class ProductsController {
  constructor(@Inject(POOL) private readonly pool: Pool) {}

  /** Two queries at once: one `postgresql` metric that counts 2, their wall-clock union. */
  @Get()
  async list() {
    const [products, prices] = await Promise.all([
      this.pool.query('SELECT id, name FROM products ORDER BY id'),
      this.pool.query('SELECT product_id, price FROM prices'),
    ]);
    return { products: products.rows, prices: prices.rows };
  }

  /** One query, then 404 when there is no such product. */
  @Get(':id')
  async find(@Param('id', ParseIntPipe) id: number) {
    const { rows } = await this.pool.query('SELECT id, name FROM products WHERE id = $1', [id]);
    if (rows.length === 0) throw new NotFoundException(`There is no product ${id}.`);
    return rows[0];
  }
}
